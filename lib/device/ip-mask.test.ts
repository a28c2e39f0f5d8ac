import { describe, expect, it } from "vitest";

import { maskIp } from "./ip-mask";

describe("maskIp", () => {
  it.each([
    ["203.0.113.7", "203.0.113.0/24"],
    ["198.51.100.255", "198.51.100.0/24"],
    ["10.0.0.1", "10.0.0.0/24"],
    ["203.0.113.7:51234", "203.0.113.0/24"],
  ])("masks IPv4 %j", (ip, expected) => {
    expect(maskIp(ip)).toBe(expected);
  });

  it.each([
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1::/48"],
    ["2001:DB8:0001:ffff::1", "2001:db8:1::/48"],
    ["2001:db8::1", "2001:db8::/48"],
    ["2001:0:0:1::1", "2001::/48"],
    ["2001:0:1::1", "2001:0:1::/48"],
    ["2a02:2e0:3fe:1001::1", "2a02:2e0:3fe::/48"],
    ["[2001:db8:abcd:12::1]:443", "2001:db8:abcd::/48"],
    ["fe80::1%eth0", "fe80::/48"],
    ["::1", "::/48"],
  ])("masks IPv6 %j", (ip, expected) => {
    expect(maskIp(ip)).toBe(expected);
  });

  it.each([
    ["::ffff:203.0.113.7", "203.0.113.0/24"],
    ["::ffff:cb00:7107", "203.0.113.0/24"],
  ])("masks IPv4-mapped %j as IPv4", (ip, expected) => {
    expect(maskIp(ip)).toBe(expected);
  });

  it.each([null, "", "unknown", "203.0.113", "2001:db8:::1"])("returns null for %j", (ip) => {
    expect(maskIp(ip)).toBeNull();
  });
});
