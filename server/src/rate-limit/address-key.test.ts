import { describe, expect, it } from 'vitest';
import { addressKey, IPV6_PREFIX_LENGTH } from './address-key.js';

describe('addressKey', () => {
  it('an IPv4 address is itself, in its IPv4-mapped IPv6 forms too', () => {
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('::FFFF:c000:0201')).toBe('192.0.2.1');
    expect(addressKey('192.0.2.2')).not.toBe(addressKey('192.0.2.1'));
  });

  it(`an IPv6 address is its /${IPV6_PREFIX_LENGTH}, however it is written`, () => {
    expect(IPV6_PREFIX_LENGTH).toBe(64);
    expect(addressKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::')).toBe('2001:db8:1:2::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80::/64');
  });

  it('another /64 is another client', () => {
    expect(addressKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
  });

  it('leaves a value that is not an IP address as it is', () => {
    expect(addressKey('not-an-address')).toBe('not-an-address');
  });
});
