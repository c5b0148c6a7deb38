import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isLoopbackHostHeader, isLoopbackUrl, LOOPBACK_HOSTS } from './loopback.js';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', 'localhost', '::1'])('accepts %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '[::1]', '192.168.1.20', 'example.com', 'LOCALHOST', '127.0.0.2', ''])(
    'refuses %s',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );

  it('lists the loopback hosts in the order messages name them', () => {
    expect(LOOPBACK_HOSTS.join(', ')).toBe('127.0.0.1, localhost, ::1');
  });
});

describe('isLoopbackUrl', () => {
  it.each(['http://localhost:4100', 'http://127.0.0.1:4000', 'https://[::1]:4000/x', 'http://localhost'])(
    'accepts %s',
    (url) => {
      expect(isLoopbackUrl(url)).toBe(true);
    },
  );

  it.each(['http://api.example.com', 'http://10.0.0.5:4000', 'http://localhost.example.com', 'http://[::2]'])(
    'refuses %s',
    (url) => {
      expect(isLoopbackUrl(url)).toBe(false);
    },
  );
});

describe('isLoopbackHostHeader', () => {
  it.each(['localhost', 'localhost:4000', '127.0.0.1', '127.0.0.1:80', '[::1]', '[::1]:4000'])(
    'accepts %s',
    (header) => {
      expect(isLoopbackHostHeader(header)).toBe(true);
    },
  );

  it.each([
    undefined,
    '',
    'evil.example.com',
    'evil.example.com:4000',
    'localhost.evil.example.com',
    '::1',
    '[localhost]',
    'localhost:',
    'localhost:abc',
    'localhost/path',
    'user@localhost',
    'LOCALHOST',
  ])('refuses %s', (header) => {
    expect(isLoopbackHostHeader(header)).toBe(false);
  });
});
