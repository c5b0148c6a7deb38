import { describe, expect, it } from 'vitest';
import { credentialFrom } from './credentials.js';
import { InvalidCredentialError } from './errors.js';

function reasonOf(header: string): string {
  try {
    credentialFrom(header);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidCredentialError);
    return (error as InvalidCredentialError).reason;
  }
  throw new Error(`accepted: ${header}`);
}

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln';

describe('credentialFrom', () => {
  it.each([null, undefined, ''])('%j is no credential (anonymous)', (header) => {
    expect(credentialFrom(header)).toEqual({ kind: 'none' });
  });

  it('reads a bearer token', () => {
    expect(credentialFrom(`Bearer ${TOKEN}`)).toEqual({ kind: 'bearer', token: TOKEN });
  });

  it('accepts every b64token character and trailing padding', () => {
    const token = 'AZaz09-._~+/abc==';
    expect(credentialFrom(`Bearer ${token}`)).toEqual({ kind: 'bearer', token });
  });

  it('ignores surrounding whitespace', () => {
    expect(credentialFrom(`  Bearer ${TOKEN}  `)).toEqual({ kind: 'bearer', token: TOKEN });
  });

  // RFC 7235 §2.1: the auth-scheme is case-insensitive; RFC 6750 §2.1: "Bearer" 1*SP b64token.
  it.each([
    ['a lower-case scheme', `bearer ${TOKEN}`],
    ['an upper-case scheme', `BEARER ${TOKEN}`],
    ['more than one space after the scheme', `Bearer  ${TOKEN}`],
  ])('accepts what the RFCs allow: %s', (_name, header) => {
    expect(credentialFrom(header)).toEqual({ kind: 'bearer', token: TOKEN });
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['the scheme alone', 'Bearer'],
    ['the scheme and a space', 'Bearer '],
    ['no space after the scheme', `Bearer${TOKEN}`],
    ['two tokens', `Bearer ${TOKEN} ${TOKEN}`],
    ['a character outside b64token', 'Bearer abc$def'],
    ['padding in the middle', 'Bearer abc=def'],
    ['a newline inside', `Bearer ${TOKEN}\nX-Injected: 1`],
    ['a bare token without a scheme', TOKEN],
  ])('refuses %s as a malformed header', (_name, header) => {
    expect(reasonOf(header)).toBe('malformed-authorization-header');
  });

  it('takes a token of up to 8192 characters and refuses a longer one before parsing it', () => {
    const longest = 'a'.repeat(8192);
    expect(credentialFrom(`Bearer ${longest}`)).toEqual({ kind: 'bearer', token: longest });
    expect(reasonOf(`Bearer ${longest}a`)).toBe('credential-too-long');
  });

  it('reads a personal API key (dbk_…) as one, with its public prefix', () => {
    const key = `dbk_abcdefgh_${'x'.repeat(43)}`;
    expect(credentialFrom(`Bearer ${key}`)).toEqual({ kind: 'apiKey', key, prefix: 'dbk_abcdefgh' });
  });

  it('refuses a malformed API key before any lookup, without the key in the error', () => {
    const key = `dbk_abcdefgh_${'x'.repeat(40)}`;
    expect(reasonOf(`Bearer ${key}`)).toBe('api-key-malformed');
    try {
      credentialFrom(`Bearer ${key}`);
    } catch (error) {
      expect((error as Error).message).not.toContain('xxxx');
    }
  });

  it('never puts the credential in the error message', () => {
    try {
      credentialFrom(`Basic ${TOKEN}`);
    } catch (error) {
      expect((error as Error).message).not.toContain(TOKEN);
    }
  });
});
