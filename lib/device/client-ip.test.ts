import { describe, expect, it } from "vitest";

import { clientIpFromForwardedFor, normalizeIp } from "./client-ip";

const FORGED = "6.6.6.6";

describe("clientIpFromForwardedFor", () => {
  it.each([
    // No proxy: `next start` appends the socket address after whatever the client sent.
    [0, `${FORGED}, 203.0.113.7`, "203.0.113.7"],
    // One proxy: it appends the address it received the request from.
    [1, `${FORGED}, 203.0.113.7`, "203.0.113.7"],
    // Two proxies: the outer one appends the client, the inner one appends the outer proxy.
    [2, `${FORGED}, 203.0.113.7, 10.0.0.2`, "203.0.113.7"],
  ])("ignores forged entry at hops %i", (hops, header, expected) => {
    expect(clientIpFromForwardedFor(header, hops)).toBe(expected);
  });

  it.each([
    // A forged loopback or private entry would otherwise read as "Local network".
    [0, "::1, 203.0.113.7", "203.0.113.7"],
    [1, "10.0.0.5, 2001:DB8::7", "2001:db8::7"],
    [1, "127.0.0.1, ::FFFF:198.51.100.4", "198.51.100.4"],
    [2, `${FORGED}, [2001:db8:0:0::7]:51234, 2001:db8:ffff::2`, "2001:db8::7"],
  ])("ignores forged entry before IPv6 at hops %i", (hops, header, expected) => {
    expect(clientIpFromForwardedFor(header, hops)).toBe(expected);
  });

  it("reads single entry at every hop count", () => {
    for (const hops of [0, 1, 2]) {
      expect(clientIpFromForwardedFor("203.0.113.7", hops)).toBe("203.0.113.7");
    }
  });

  it("ignores several forged entries", () => {
    const header = `${FORGED}, 7.7.7.7, 8.8.8.8, 198.51.100.4, 10.0.0.2`;

    expect(clientIpFromForwardedFor(header, 2)).toBe("198.51.100.4");
  });

  it.each([
    [2, "203.0.113.7", "203.0.113.7"],
    [3, "203.0.113.7, 10.0.0.2", "203.0.113.7"],
    [10, "198.51.100.4, 203.0.113.7, 10.0.0.2", "198.51.100.4"],
  ])("hops %i beyond header length", (hops, header, expected) => {
    expect(clientIpFromForwardedFor(header, hops)).toBe(expected);
  });

  it("trims whitespace and empty entries", () => {
    expect(clientIpFromForwardedFor(`  ${FORGED} ,, 203.0.113.7 ,  `, 1)).toBe("203.0.113.7");
    expect(clientIpFromForwardedFor(`${FORGED},203.0.113.7,\t10.0.0.2`, 2)).toBe("203.0.113.7");
  });

  it("normalizes the chosen entry", () => {
    expect(clientIpFromForwardedFor(`${FORGED}, [2001:DB8::0001]:443`, 1)).toBe("2001:db8::1");
    expect(clientIpFromForwardedFor(`${FORGED}, 203.0.113.7:51234`, 1)).toBe("203.0.113.7");
  });

  it.each([null, undefined, "", " ", ",", " , ,"])("returns null for %j", (header) => {
    expect(clientIpFromForwardedFor(header, 1)).toBeNull();
  });

  it("returns null for garbage entry", () => {
    // The right-most entry is the trusted one, so a valid forged entry to its left never
    // replaces it.
    expect(clientIpFromForwardedFor(`${FORGED}, unknown`, 1)).toBeNull();
    expect(clientIpFromForwardedFor(`${FORGED}, not-an-ip`, 0)).toBeNull();
  });
});

describe("normalizeIp", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    [" 203.0.113.7 ", "203.0.113.7"],
    ["203.0.113.7:8080", "203.0.113.7"],
    ["2001:db8::1", "2001:db8::1"],
    ["2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["[2001:db8::1]:443", "2001:db8::1"],
    ["fe80::1%eth0", "fe80::1"],
    ["FE80::1%ETH0", "fe80::1"],
    ["[2001:DB8:0:0:0:0:0:1]:443", "2001:db8::1"],
    ["2001:db8:0000:0000:0000:0000:0000:0000", "2001:db8::"],
    ["[fe80::1%25eth0]:8080", "fe80::1"],
    ["::1", "::1"],
  ])("normalizes %j", (raw, expected) => {
    expect(normalizeIp(raw)).toBe(expected);
  });

  it.each([
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["::FFFF:203.0.113.7", "203.0.113.7"],
    ["[::ffff:203.0.113.7]:443", "203.0.113.7"],
    ["0:0:0:0:0:ffff:203.0.113.7", "203.0.113.7"],
    ["::ffff:cb00:7107", "203.0.113.7"],
    ["::ffff:7f00:1", "127.0.0.1"],
  ])("unwraps IPv4-mapped %j", (raw, expected) => {
    expect(normalizeIp(raw)).toBe(expected);
  });

  it.each([
    "",
    "unknown",
    "not-an-ip",
    "203.0.113",
    "203.0.113.256",
    "010.0.0.1",
    "2001:db8:::1",
    "[2001:db8::1",
    "example.com",
    "203.0.113.7, 10.0.0.2",
    "<script>",
  ])("returns null for %j", (raw) => {
    expect(normalizeIp(raw)).toBeNull();
  });
});
