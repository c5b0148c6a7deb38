import { describe, expect, it } from 'vitest';
import { isForwardingHeader, localModeRefusal } from './local-mode-guard.js';

function request(headers: Record<string, string>, url = '/graphql') {
  return {
    url,
    headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
    rawHeaders: Object.entries(headers).flat(),
  };
}

describe('localModeRefusal', () => {
  it.each(['localhost', 'localhost:3000', '127.0.0.1:4000', '[::1]', '[::1]:4000'])('lets Host %s through', (host) => {
    expect(localModeRefusal(request({ host }))).toBeUndefined();
  });

  it.each([
    'evil.test:3000',
    'localhost.evil.test',
    '127.0.0.1.nip.io',
    '0.0.0.0:4000',
    '192.168.1.5',
    'localhost:3000/x',
    '',
  ])('refuses Host %s with 421', (host) => {
    expect(localModeRefusal(request({ host }))).toMatchObject({ status: 421, error: 'local_mode_host_refused' });
  });

  it('refuses a request without a Host, or whose absolute-form target names another host', () => {
    expect(localModeRefusal(request({}))).toMatchObject({ status: 421 });
    const absolute = request({ host: 'localhost' }, 'http://evil.test/graphql');
    expect(localModeRefusal(absolute)).toMatchObject({ status: 421 });
    expect(localModeRefusal(request({ host: 'localhost' }, 'http://127.0.0.1:4000/graphql'))).toBeUndefined();
  });

  it.each([
    'Forwarded',
    'Via',
    'X-Forwarded-For',
    'x-forwarded-host',
    'X-Forwarded-Proto',
    'X-Forwarded-Port',
    'X-Real-IP',
  ])('refuses a request carrying %s (even empty) with 403', (name) => {
    expect(localModeRefusal(request({ host: 'localhost', [name]: '' }))).toMatchObject({
      status: 403,
      error: 'local_mode_proxy_refused',
      reason: name.toLowerCase(),
    });
  });

  it('does not mistake other headers for forwarding ones', () => {
    expect(isForwardingHeader('x-forwarded')).toBe(false);
    expect(isForwardingHeader('x-request-id')).toBe(false);
    expect(isForwardingHeader('viable')).toBe(false);
    const plain = request({ host: 'localhost', 'x-request-id': 'r', 'user-agent': 'u', authorization: 'Bearer x' });
    expect(localModeRefusal(plain)).toBeUndefined();
  });
});
