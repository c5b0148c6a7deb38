import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddressOf, clientInfoOf, MAX_USER_AGENT_LENGTH, trustedProxies, trustNobody } from './client-info.js';

function request(peer: string | undefined, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress: peer }, headers } as unknown as IncomingMessage;
}

/** Proxies writing X-Forwarded-For (the default) and proxies writing Forwarded. */
const proxy = trustedProxies(['10.0.0.0/8']);
const forwardingProxy = trustedProxies(['10.0.0.0/8'], 'forwarded');
const loopback = trustedProxies(['loopback'], 'forwarded');

describe('trustedProxies', () => {
  it('trusts addresses, ranges and the loopback keyword; nothing when empty', () => {
    const trust = trustedProxies(['192.0.2.10', '10.0.0.0/8', 'loopback']);
    expect(trust.header).toBe('x-forwarded-for');
    expect(['192.0.2.10', '10.1.2.3', '127.0.0.1', '::1', '::ffff:127.0.0.1'].map(trust.isTrusted)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['192.0.2.11', '11.0.0.1', 'not-an-ip', ''].map(trust.isTrusted)).toEqual([false, false, false, false]);
    expect(trustedProxies([])).toBe(trustNobody);
  });

  it('refuses an entry that is not an address, a range or a keyword', () => {
    expect(() => trustedProxies(['example.com'])).toThrow();
    expect(() => trustedProxies(['10.0.0.0/33'])).toThrow();
  });
});

describe('clientAddressOf', () => {
  it('is the peer when nobody is trusted, whatever the headers say (no spoofing)', () => {
    const req = request('203.0.113.7', { 'x-forwarded-for': '1.1.1.1', forwarded: 'for=2.2.2.2' });
    expect(clientAddressOf(req)).toBe('203.0.113.7');
    expect(clientAddressOf(req, proxy)).toBe('203.0.113.7');
    expect(clientAddressOf(req, forwardingProxy)).toBe('203.0.113.7');
  });

  it('behind a proxy that writes X-Forwarded-For, ignores the Forwarded header a client sent through it', () => {
    // nginx (proxy_add_x_forwarded_for), AWS ALB, GCP: they append to X-Forwarded-For and pass a
    // client's own Forwarded through untouched.
    const req = request('10.0.0.5', { forwarded: 'for=203.0.113.9', 'x-forwarded-for': '198.51.100.4' });
    expect(clientAddressOf(req, proxy)).toBe('198.51.100.4');
    // With no X-Forwarded-For at all the peer is the answer, never the client's Forwarded.
    expect(clientAddressOf(request('10.0.0.5', { forwarded: 'for=203.0.113.9' }), proxy)).toBe('10.0.0.5');
  });

  it('behind a proxy that writes Forwarded, ignores the X-Forwarded-For a client sent through it', () => {
    const req = request('10.0.0.5', { forwarded: 'for=198.51.100.4', 'x-forwarded-for': '203.0.113.9' });
    expect(clientAddressOf(req, forwardingProxy)).toBe('198.51.100.4');
    expect(clientAddressOf(request('10.0.0.5', { 'x-forwarded-for': '203.0.113.9' }), forwardingProxy)).toBe(
      '10.0.0.5',
    );
  });

  it('is the peer when a trusted proxy sends no forwarding header', () => {
    expect(clientAddressOf(request('10.0.0.5'), proxy)).toBe('10.0.0.5');
  });

  it('reads X-Forwarded-For through trusted proxies, stopping at the first untrusted hop', () => {
    // The client claimed 6.6.6.6; our proxies saw 198.51.100.4 connect, then each other.
    const req = request('10.0.0.5', { 'x-forwarded-for': '6.6.6.6, 198.51.100.4, 10.0.0.9' });
    expect(clientAddressOf(req, proxy)).toBe('198.51.100.4');
  });

  it('takes the outermost hop when every hop is a trusted proxy', () => {
    expect(clientAddressOf(request('10.0.0.5', { 'x-forwarded-for': '10.0.0.7, 10.0.0.9' }), proxy)).toBe('10.0.0.7');
  });

  it('reads Forwarded, when configured, with ports and IPv6 brackets', () => {
    const req = request('127.0.0.1', {
      forwarded: 'for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https',
      'x-forwarded-for': '9.9.9.9',
    });
    expect(clientAddressOf(req, loopback)).toBe('2001:db8:cafe::17');
    expect(clientAddressOf(request('::1', { forwarded: 'for="192.0.2.60:443"' }), loopback)).toBe('192.0.2.60');
    // RFC 7239: a value with a colon must be quoted; unquoted it is unreadable, so the peer.
    expect(clientAddressOf(request('::1', { forwarded: 'for=192.0.2.60:443' }), loopback)).toBe('::1');
  });

  it('walks Forwarded through several trusted proxies', () => {
    const req = request('10.0.0.5', { forwarded: 'for=198.51.100.4;proto=https, for=10.0.0.9' });
    expect(clientAddressOf(req, forwardingProxy)).toBe('198.51.100.4');
  });

  it('falls back to the peer when the header our proxy wrote cannot be read', () => {
    expect(clientAddressOf(request('10.0.0.5', { forwarded: 'for=unknown' }), forwardingProxy)).toBe('10.0.0.5');
    expect(clientAddressOf(request('10.0.0.5', { forwarded: 'for=' }), forwardingProxy)).toBe('10.0.0.5');
    expect(clientAddressOf(request('10.0.0.5', { forwarded: 'nonsense;;;' }), forwardingProxy)).toBe('10.0.0.5');
    expect(clientAddressOf(request('10.0.0.5', { 'x-forwarded-for': 'not-an-address' }), proxy)).toBe('10.0.0.5');
    expect(clientAddressOf(request('10.0.0.5', { 'x-forwarded-for': '' }), proxy)).toBe('10.0.0.5');
  });

  it('a malformed part the client sent ahead of our proxy’s own does not hide the client', () => {
    const forwarded = request('10.0.0.5', { forwarded: 'for="unterminated, for=198.51.100.4' });
    // The quote swallows the rest: nothing readable, so the peer.
    expect(clientAddressOf(forwarded, forwardingProxy)).toBe('10.0.0.5');
    const garbageFirst = request('10.0.0.5', { forwarded: 'for=@@@;x==, for=198.51.100.4' });
    expect(clientAddressOf(garbageFirst, forwardingProxy)).toBe('198.51.100.4');
    const xff = request('10.0.0.5', { 'x-forwarded-for': 'garbage, 198.51.100.4' });
    expect(clientAddressOf(xff, proxy)).toBe('198.51.100.4');
  });

  it('is null when the socket has no address', () => {
    expect(clientAddressOf(request(undefined, { 'x-forwarded-for': '1.1.1.1' }), proxy)).toBeNull();
    expect(clientAddressOf(request(undefined, { forwarded: 'for=1.1.1.1' }), forwardingProxy)).toBeNull();
  });
});

describe('clientInfoOf', () => {
  it('truncates the user agent and drops an empty one', () => {
    const long = 'x'.repeat(MAX_USER_AGENT_LENGTH + 50);
    expect(clientInfoOf(request('192.0.2.1', { 'user-agent': long })).userAgent).toHaveLength(MAX_USER_AGENT_LENGTH);
    expect(clientInfoOf(request('192.0.2.1', { 'user-agent': '' }))).toEqual({ ip: '192.0.2.1', userAgent: null });
  });
});
