// Which client the address limiter counts a request against. An IPv4 address is one client. An IPv6
// client is not one address: a single subscriber, host or VM is routinely given a whole /64 and may send
// every request from a fresh address in it, so keying on the full address would give it a fresh budget
// per request. IPv6 is counted by its /64 network, the smallest block that is routinely one party's.
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The IPv6 prefix counted as one client (RFC 6177: the usual subnet of a single site or customer). */
export const IPV6_PREFIX_LENGTH = 64;

/**
 * The client `ip` is counted as: an IPv4 address as itself (an IPv4-mapped IPv6 address, as a dual-stack
 * socket reports an IPv4 peer, is the IPv4 address); an IPv6 address as its /64 (`2001:db8:1:2::/64`, zone
 * dropped). A value that is not an IP address is left as it is.
 */
export function addressKey(ip: string): string {
  if (isIP(ip) === 0) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const network = ipaddr.IPv6.networkAddressFromCIDR(`${address.toNormalizedString()}/${IPV6_PREFIX_LENGTH}`);
  return `${network.toString()}/${IPV6_PREFIX_LENGTH}`;
}
