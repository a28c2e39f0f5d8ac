import { describe, expect, it } from "vitest";

import { describeLocation } from "./location";

describe("describeLocation", () => {
  it.each([
    ["IPv4 loopback", "127.0.0.1"],
    ["IPv4 loopback range", "127.255.0.9"],
    ["IPv6 loopback", "::1"],
    ["RFC 1918 10/8", "10.1.2.3"],
    ["RFC 1918 172.16/12", "172.16.0.1"],
    ["RFC 1918 172.16/12 top", "172.31.255.254"],
    ["RFC 1918 192.168/16", "192.168.1.20"],
    ["carrier-grade NAT", "100.64.0.1"],
    ["IPv4 link-local", "169.254.10.20"],
    ["IPv6 link-local", "fe80::1"],
    ["IPv6 unique local fc00", "fc00::1"],
    ["IPv6 unique local fd00", "fd12:3456:789a::1"],
  ])("%s is local network", (_case, ip) => {
    expect(describeLocation(ip)).toBe("Local network");
  });

  it.each([
    ["public IPv4", "203.0.113.7"],
    ["public IPv4 beside 172.16/12", "172.32.0.1"],
    ["public IPv4 beside 192.168/16", "192.169.0.1"],
    ["public IPv6", "2001:db8::1"],
    ["public IPv6 beside fc00::/7", "fe00::1"],
  ])("%s is unknown location", (_case, ip) => {
    expect(describeLocation(ip)).toBe("Unknown location");
  });

  it.each([null, "", "not-an-ip", "999.1.1.1", "[::1]:443"])("%j is unknown location", (ip) => {
    expect(describeLocation(ip)).toBe("Unknown location");
  });
});
