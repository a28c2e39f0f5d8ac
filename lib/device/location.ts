// Coarse location of a client address. Only the local-network check exists so far; every
// public address reads "Unknown location".

import { BlockList, isIP } from "node:net";

export const LOCAL_NETWORK = "Local network";
export const UNKNOWN_LOCATION = "Unknown location";

const privateRanges = new BlockList();
privateRanges.addSubnet("127.0.0.0", 8, "ipv4"); // loopback
privateRanges.addSubnet("10.0.0.0", 8, "ipv4"); // RFC 1918
privateRanges.addSubnet("172.16.0.0", 12, "ipv4"); // RFC 1918
privateRanges.addSubnet("192.168.0.0", 16, "ipv4"); // RFC 1918
privateRanges.addSubnet("100.64.0.0", 10, "ipv4"); // RFC 6598 carrier-grade NAT
privateRanges.addSubnet("169.254.0.0", 16, "ipv4"); // link-local
privateRanges.addAddress("::1", "ipv6"); // loopback
privateRanges.addSubnet("fc00::", 7, "ipv6"); // unique local
privateRanges.addSubnet("fe80::", 10, "ipv6"); // link-local

/** Returns a display location for a normalized IP address. */
export function describeLocation(ip: string | null): string {
  if (!ip) return UNKNOWN_LOCATION;
  const family = isIP(ip);
  if (family === 0) return UNKNOWN_LOCATION;
  return privateRanges.check(ip, family === 4 ? "ipv4" : "ipv6") ? LOCAL_NETWORK : UNKNOWN_LOCATION;
}
