// Address ranges that never leave a local network, so they have no place on a map.

import { BlockList, isIP } from "node:net";

const localRanges = new BlockList();
localRanges.addSubnet("127.0.0.0", 8, "ipv4"); // loopback
localRanges.addSubnet("10.0.0.0", 8, "ipv4"); // RFC 1918
localRanges.addSubnet("172.16.0.0", 12, "ipv4"); // RFC 1918
localRanges.addSubnet("192.168.0.0", 16, "ipv4"); // RFC 1918
localRanges.addSubnet("100.64.0.0", 10, "ipv4"); // RFC 6598 carrier-grade NAT
localRanges.addSubnet("169.254.0.0", 16, "ipv4"); // link-local
localRanges.addAddress("::1", "ipv6"); // loopback
localRanges.addSubnet("fc00::", 7, "ipv6"); // RFC 4193 unique local
localRanges.addSubnet("fe80::", 10, "ipv6"); // link-local

/**
 * Reports whether `ip` is a loopback, private, carrier-grade NAT, link-local or unique local
 * address. Expects the canonical form from `normalizeIp`, which turns an IPv4-mapped IPv6
 * address into plain IPv4; anything that is not an IP address returns false.
 */
export function isLocalNetworkIp(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  return localRanges.check(ip, family === 4 ? "ipv4" : "ipv6");
}
