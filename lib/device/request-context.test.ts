import { describe, expect, it } from "vitest";

import { parseMaxTouchPoints, readRequestContext } from "./request-context";
import { parseUserAgent } from "./user-agent";

const EDGE_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86";

describe("readRequestContext", () => {
  it("reads agent and address only", () => {
    const headers = new Headers({
      "user-agent": "curl/8.5.0",
      "x-forwarded-for": "6.6.6.6, 203.0.113.7",
    });

    // No hint headers means no `clientHints` key, so existing equality checks keep working.
    expect(readRequestContext(headers, 1)).toEqual({ userAgent: "curl/8.5.0", ip: "203.0.113.7" });
  });

  it("reads client hints", () => {
    const headers = new Headers({
      "user-agent": EDGE_WINDOWS,
      "sec-ch-ua": '"Chromium";v="131", "Microsoft Edge";v="131", "Not_A Brand";v="24"',
      "sec-ch-ua-mobile": "?0",
      "sec-ch-ua-platform": '"Windows"',
      "sec-ch-ua-platform-version": '"15.0.0"',
    });
    const context = readRequestContext(headers, 1);

    expect(context.clientHints?.platformVersion).toBe("15.0.0");
    expect(parseUserAgent(context.userAgent, context)).toEqual({
      browser: "Edge",
      os: "Windows 11",
      deviceType: "desktop",
    });
  });

  it("truncates long user agent", () => {
    const headers = new Headers({ "user-agent": "x".repeat(2_000) });

    expect(readRequestContext(headers, 1).userAgent).toHaveLength(512);
  });

  it("reads Vercel location headers", () => {
    const headers = new Headers({
      "x-vercel-ip-country": "DE",
      "x-vercel-ip-country-region": "BY",
      "x-vercel-ip-city": "M%C3%BCnchen",
    });

    expect(readRequestContext(headers, 1).geoHeaders).toEqual({
      vercelCountry: "DE",
      vercelRegion: "BY",
      vercelCity: "M%C3%BCnchen",
    });
  });

  it("reads Cloudflare location headers", () => {
    const headers = new Headers({
      "cf-ipcountry": "US",
      "cf-ipcity": "Austin",
      "cf-region": "Texas",
    });

    expect(readRequestContext(headers, 1).geoHeaders).toEqual({
      cloudflareCountry: "US",
      cloudflareCity: "Austin",
      cloudflareRegion: "Texas",
    });
  });

  it("skips blank location headers", () => {
    const headers = new Headers({ "cf-ipcountry": "  ", "x-vercel-ip-city": "" });

    expect(readRequestContext(headers, 1)).not.toHaveProperty("geoHeaders");
  });

  it("truncates long location header", () => {
    const headers = new Headers({ "cf-ipcountry": "DE", "cf-ipcity": "x".repeat(2_000) });

    expect(readRequestContext(headers, 1).geoHeaders?.cloudflareCity).toHaveLength(256);
  });

  it("leaves touch points unknown", () => {
    expect(readRequestContext(new Headers(), 1).maxTouchPoints).toBeUndefined();
  });
});

describe("parseMaxTouchPoints", () => {
  it.each([
    ["0", 0],
    ["1", 1],
    ["5", 5],
    ["256", 256],
  ])("parses %j", (value, expected) => {
    expect(parseMaxTouchPoints(value)).toBe(expected);
  });

  it.each([null, "", " 5", "5.0", "-1", "1e3", "257", "9999", "five"])(
    "returns null for %j",
    (value) => {
      expect(parseMaxTouchPoints(value)).toBeNull();
    },
  );

  it("returns null for file entry", () => {
    expect(parseMaxTouchPoints(new File(["5"], "touch.txt"))).toBeNull();
  });
});
