import { describe, expect, it } from "vitest";

import { describeDevice, MAX_USER_AGENT_LENGTH, parseUserAgent } from "./user-agent";

const USER_AGENTS = {
  chromeMacos:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  chromeWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  firefoxLinux: "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
  firefoxUbuntu: "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
  safariIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  chromeAndroid:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
  safariIpad:
    "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  headlessChromeLinux:
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36",
};

describe("parseUserAgent", () => {
  it.each([
    ["Chrome on macOS", USER_AGENTS.chromeMacos, "Chrome", "macOS", "desktop"],
    ["Chrome on Windows", USER_AGENTS.chromeWindows, "Chrome", "Windows", "desktop"],
    ["Firefox on Linux", USER_AGENTS.firefoxLinux, "Firefox", "Linux", "desktop"],
    ["Firefox on Ubuntu", USER_AGENTS.firefoxUbuntu, "Firefox", "Ubuntu", "desktop"],
    ["Safari on iPhone", USER_AGENTS.safariIphone, "Safari", "iOS", "mobile"],
    ["Chrome on Android phone", USER_AGENTS.chromeAndroid, "Chrome", "Android", "mobile"],
    ["Safari on iPad", USER_AGENTS.safariIpad, "Safari", "iOS", "tablet"],
    ["headless Chrome", USER_AGENTS.headlessChromeLinux, "Chrome", "Linux", "desktop"],
  ])("parses %s", (_case, userAgent, browser, os, deviceType) => {
    expect(parseUserAgent(userAgent)).toEqual({ browser, os, deviceType });
  });

  it.each(["curl/8.0.1", "}}}{{{ not a browser", ""])("unknown agent %j", (userAgent) => {
    expect(parseUserAgent(userAgent)).toEqual({ browser: null, os: null, deviceType: "other" });
  });

  it("parses 10 kB agent without throwing", () => {
    const huge = USER_AGENTS.chromeWindows + " (".repeat(5_000);

    expect(huge.length).toBeGreaterThan(10_000);
    expect(() => parseUserAgent(huge)).not.toThrow();
    // Only the first MAX_USER_AGENT_LENGTH characters are parsed, and they contain the whole real agent.
    expect(USER_AGENTS.chromeWindows.length).toBeLessThan(MAX_USER_AGENT_LENGTH);
    expect(parseUserAgent(huge)).toEqual({
      browser: "Chrome",
      os: "Windows",
      deviceType: "desktop",
    });
  });

  it("parses 10 kB garbage without throwing", () => {
    const garbage = "\u0000(;".repeat(4_000);

    expect(() => parseUserAgent(garbage)).not.toThrow();
    expect(describeDevice(parseUserAgent(garbage))).toBe("Unknown browser");
  });
});

describe("describeDevice", () => {
  it.each([
    ["macOS desktop", USER_AGENTS.chromeMacos, "Chrome on macOS"],
    ["Windows desktop", USER_AGENTS.chromeWindows, "Chrome on Windows"],
    ["Ubuntu desktop", USER_AGENTS.firefoxUbuntu, "Firefox on Ubuntu"],
    ["iPhone", USER_AGENTS.safariIphone, "Safari on iOS"],
    ["Android phone", USER_AGENTS.chromeAndroid, "Chrome on Android"],
    ["iPad", USER_AGENTS.safariIpad, "Safari on iOS"],
    ["curl", "curl/8.0.1", "Unknown browser"],
  ])("labels %s", (_case, userAgent, label) => {
    expect(describeDevice(parseUserAgent(userAgent))).toBe(label);
  });

  it("labels missing parts", () => {
    expect(describeDevice({ browser: null, os: null })).toBe("Unknown browser");
    expect(describeDevice({ browser: null, os: "Linux" })).toBe("Unknown browser on Linux");
    expect(describeDevice({ browser: "Firefox", os: null })).toBe("Firefox");
  });
});
