// Shortened client addresses for logs: enough to tell networks apart, not enough to name a
// household or a phone.

import { normalizeIp } from "./client-ip";

const IPV6_GROUPS = 8;
// A /48 is the first three 16-bit groups.
const IPV6_KEPT_GROUPS = 3;

/**
 * Returns the IPv4 /24 (`203.0.113.0/24`) or IPv6 /48 (`2001:db8:1::/48`) network of an
 * address, or null when `ip` is null or not an IP address. IPv4-mapped IPv6 addresses are
 * masked as IPv4.
 */
export function maskIp(ip: string | null): string | null {
  if (ip === null) return null;
  const address = normalizeIp(ip);
  if (address === null) return null;

  if (!address.includes(":")) {
    const [a, b, c] = address.split(".");
    return `${a}.${b}.${c}.0/24`;
  }

  const prefixGroups = expandIpv6(address).slice(0, IPV6_KEPT_GROUPS);
  // Drop trailing zero groups so the prefix reads in RFC 5952 form: 2001:db8:0::/48 is 2001:db8::/48.
  while (prefixGroups.length > 0 && prefixGroups[prefixGroups.length - 1] === 0) {
    prefixGroups.pop();
  }
  return `${prefixGroups.map((group) => group.toString(16)).join(":")}::/48`;
}

// Expects the canonical form from normalizeIp: lower-case hex, no embedded IPv4 part.
function expandIpv6(address: string): number[] {
  const [head = "", tail] = address.split("::");
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((g) => parseInt(g, 16)));
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [
    ...left,
    ...new Array<number>(IPV6_GROUPS - left.length - right.length).fill(0),
    ...right,
  ];
}
