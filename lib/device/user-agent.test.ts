import { describe, expect, it } from "vitest";

import { readClientHints } from "./client-hints";
import {
  describeDevice,
  MAX_USER_AGENT_LENGTH,
  parseUserAgent,
  type DeviceSignals,
  type DeviceType,
} from "./user-agent";

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
    ["Safari on iPad", USER_AGENTS.safariIpad, "Safari", "iPadOS", "tablet"],
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
    ["iPad", USER_AGENTS.safariIpad, "Safari on iPadOS"],
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

// User agents as current browsers send them. Chromium freezes the platform part to
// `Windows NT 10.0`, `Intel Mac OS X 10_15_7` and `Android 10; K`.
const CURRENT_AGENTS = {
  chromeWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  edgeWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86",
  operaWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0",
  chromeMac:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  edgeMac:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86",
  // Safari on a Mac, and iPadOS Safari in its default desktop mode: the same string.
  safariMac:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  firefoxMac:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0",
  firefoxWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  safariIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  chromeIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
  chromeIpad:
    "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
  firefoxIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15",
  edgeIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 EdgiOS/131.2903.76 Mobile/15E148 Safari/605.1.15",
  operaIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 OPT/5.0.3 Mobile/15E148 Safari/604.1",
  samsungInternet:
    "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
  chromeAndroidPhone:
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  chromeAndroidTablet:
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  edgeAndroid:
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 EdgA/131.0.0.0",
  androidWebView:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.81 Mobile Safari/537.36",
  facebookAndroid:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.81 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/490.0.0.53.108;]",
  facebookIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/22B83 [FBAN/FBIOS;FBAV/490.0.0.38.107;FBBV/667185373;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/18.1;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]",
  instagramIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/22B83 Instagram 357.0.0.25.101 (iPhone15,2; iOS 18_1; en_US; en; scale=3.00; 1179x2556; 667185372)",
  instagramAndroid:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.81 Mobile Safari/537.36 Instagram 357.0.0.25.101 Android (34/14; 420dpi; 1080x2400; Google/google; Pixel 8; shiba; shiba; en_US; 667185372)",
  curl: "curl/8.5.0",
};

// Request headers as Chromium-based browsers send them.
const BRANDS = {
  chrome: '"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"',
  edge: '"Microsoft Edge";v="131", "Chromium";v="131", "Not_A Brand";v="24"',
  opera: '"Chromium";v="130", "Opera";v="115", "Not?A_Brand";v="99"',
  brave: '"Brave";v="131", "Chromium";v="131", "Not_A Brand";v="24"',
  samsung: '"Samsung Internet";v="26.0", "Chromium";v="122", "Not(A:Brand";v="24"',
  webView: '"Android WebView";v="131", "Chromium";v="131", "Not_A Brand";v="24"',
  chromiumOnly: '"Chromium";v="131", "Not_A Brand";v="24"',
};

function hints(brands: string, mobile: "?0" | "?1", platform: string, platformVersion?: string) {
  const headers = new Headers({
    "sec-ch-ua": brands,
    "sec-ch-ua-mobile": mobile,
    "sec-ch-ua-platform": `"${platform}"`,
  });
  if (platformVersion !== undefined) {
    headers.set("sec-ch-ua-platform-version", `"${platformVersion}"`);
  }
  return { clientHints: readClientHints(headers) };
}

const A = CURRENT_AGENTS;
const WINDOWS_11 = "15.0.0";
const WINDOWS_10 = "10.0.0";

describe("parseUserAgent with client hints", () => {
  const cases: [string, string, DeviceSignals, string, DeviceType][] = [
    // Windows: only the platform version hint separates 11 from 10.
    [
      "Chrome, Windows 11",
      A.chromeWindows,
      hints(BRANDS.chrome, "?0", "Windows", WINDOWS_11),
      "Chrome on Windows 11",
      "desktop",
    ],
    [
      "Chrome, Windows 10",
      A.chromeWindows,
      hints(BRANDS.chrome, "?0", "Windows", WINDOWS_10),
      "Chrome on Windows 10",
      "desktop",
    ],
    [
      "Chrome, Windows 8.1",
      A.chromeWindows,
      hints(BRANDS.chrome, "?0", "Windows", "0.3.0"),
      "Chrome on Windows",
      "desktop",
    ],
    [
      "Chrome, low-entropy hints",
      A.chromeWindows,
      hints(BRANDS.chrome, "?0", "Windows"),
      "Chrome on Windows",
      "desktop",
    ],
    ["Chrome, no hints", A.chromeWindows, {}, "Chrome on Windows", "desktop"],
    [
      "Edge, Windows 11",
      A.edgeWindows,
      hints(BRANDS.edge, "?0", "Windows", "19.0.0"),
      "Edge on Windows 11",
      "desktop",
    ],
    [
      "Edge, Windows 10",
      A.edgeWindows,
      hints(BRANDS.edge, "?0", "Windows", "7.0.0"),
      "Edge on Windows 10",
      "desktop",
    ],
    ["Edge, no hints", A.edgeWindows, {}, "Edge on Windows", "desktop"],
    [
      "Opera, Windows 11",
      A.operaWindows,
      hints(BRANDS.opera, "?0", "Windows", WINDOWS_11),
      "Opera on Windows 11",
      "desktop",
    ],
    [
      "Opera, Windows 10",
      A.operaWindows,
      hints(BRANDS.opera, "?0", "Windows", WINDOWS_10),
      "Opera on Windows 10",
      "desktop",
    ],
    ["Opera, no hints", A.operaWindows, {}, "Opera on Windows", "desktop"],
    // Brave sends Chrome's User-Agent, so only its brand names it.
    [
      "Brave, Windows 11",
      A.chromeWindows,
      hints(BRANDS.brave, "?0", "Windows", WINDOWS_11),
      "Brave on Windows 11",
      "desktop",
    ],
    [
      "Brave, Windows 10",
      A.chromeWindows,
      hints(BRANDS.brave, "?0", "Windows", WINDOWS_10),
      "Brave on Windows 10",
      "desktop",
    ],
    [
      "Chromium brand only",
      A.chromeWindows,
      hints(BRANDS.chromiumOnly, "?0", "Windows"),
      "Chrome on Windows",
      "desktop",
    ],
    ["Firefox, Windows", A.firefoxWindows, {}, "Firefox on Windows", "desktop"],
    // macOS: the frozen 10_15_7 is never shown, and a version hint is not shown either.
    [
      "Chrome, macOS hints",
      A.chromeMac,
      hints(BRANDS.chrome, "?0", "macOS", "14.6.1"),
      "Chrome on macOS",
      "desktop",
    ],
    ["Chrome, macOS no hints", A.chromeMac, {}, "Chrome on macOS", "desktop"],
    [
      "Chrome, macOS unknown touch",
      A.chromeMac,
      { maxTouchPoints: null },
      "Chrome on macOS",
      "desktop",
    ],
    [
      "Edge, macOS",
      A.edgeMac,
      hints(BRANDS.edge, "?0", "macOS", "15.1.0"),
      "Edge on macOS",
      "desktop",
    ],
    ["Firefox, macOS", A.firefoxMac, {}, "Firefox on macOS", "desktop"],
    ["Safari, Mac", A.safariMac, { maxTouchPoints: 0 }, "Safari on macOS", "desktop"],
    ["Safari, iPad Mac agent", A.safariMac, { maxTouchPoints: 5 }, "Safari on iPadOS", "tablet"],
    [
      "Safari, unknown touch",
      A.safariMac,
      { maxTouchPoints: null },
      "Safari on Mac or iPad",
      "other",
    ],
    ["Safari, no signals", A.safariMac, {}, "Safari on Mac or iPad", "other"],
    // iOS and iPadOS.
    ["Safari, iPhone", A.safariIphone, {}, "Safari on iOS", "mobile"],
    ["Chrome, iPhone", A.chromeIphone, {}, "Chrome on iOS", "mobile"],
    ["Chrome, iPad agent", A.chromeIpad, {}, "Chrome on iPadOS", "tablet"],
    ["Firefox, iPhone", A.firefoxIphone, {}, "Firefox on iOS", "mobile"],
    ["Edge, iPhone", A.edgeIphone, {}, "Edge on iOS", "mobile"],
    ["Opera, iPhone", A.operaIphone, {}, "Opera on iOS", "mobile"],
    // Android: the frozen `Android 10; K` is never shown.
    [
      "Samsung Internet, hints",
      A.samsungInternet,
      hints(BRANDS.samsung, "?1", "Android"),
      "Samsung Internet on Android",
      "mobile",
    ],
    ["Samsung Internet, no hints", A.samsungInternet, {}, "Samsung Internet on Android", "mobile"],
    [
      "Chrome, Android phone",
      A.chromeAndroidPhone,
      hints(BRANDS.chrome, "?1", "Android"),
      "Chrome on Android",
      "mobile",
    ],
    [
      "Chrome, Android tablet",
      A.chromeAndroidTablet,
      hints(BRANDS.chrome, "?0", "Android"),
      "Chrome on Android",
      "tablet",
    ],
    ["Chrome, Android tablet no hints", A.chromeAndroidTablet, {}, "Chrome on Android", "tablet"],
    [
      "Edge, Android",
      A.edgeAndroid,
      hints(BRANDS.edge, "?1", "Android"),
      "Edge on Android",
      "mobile",
    ],
    [
      "WebView, hints",
      A.androidWebView,
      hints(BRANDS.webView, "?1", "Android"),
      "Android WebView on Android",
      "mobile",
    ],
    ["WebView, no hints", A.androidWebView, {}, "Android WebView on Android", "mobile"],
    // In-app browsers: their own token wins over the web view's brands.
    [
      "Facebook, Android",
      A.facebookAndroid,
      hints(BRANDS.webView, "?1", "Android"),
      "Facebook in-app browser on Android",
      "mobile",
    ],
    ["Facebook, iPhone", A.facebookIphone, {}, "Facebook in-app browser on iOS", "mobile"],
    [
      "Instagram, Android",
      A.instagramAndroid,
      hints(BRANDS.webView, "?1", "Android"),
      "Instagram in-app browser on Android",
      "mobile",
    ],
    ["Instagram, iPhone", A.instagramIphone, {}, "Instagram in-app browser on iOS", "mobile"],
    // Agents that are not browsers.
    ["curl", A.curl, {}, "Unknown browser", "other"],
    ["empty agent", "", {}, "Unknown browser", "other"],
    [
      "empty agent, hints",
      "",
      hints(BRANDS.chrome, "?0", "Windows", WINDOWS_11),
      "Chrome on Windows 11",
      "desktop",
    ],
    [
      "bare Windows agent",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
      {},
      "Unknown browser on Windows",
      "desktop",
    ],
  ];

  it.each(cases)("labels %s", (_case, userAgent, signals, label, deviceType) => {
    const device = parseUserAgent(userAgent, signals);

    expect(describeDevice(device)).toBe(label);
    expect(device.deviceType).toBe(deviceType);
  });

  it("stores browser and os apart", () => {
    const device = parseUserAgent(A.edgeWindows, hints(BRANDS.edge, "?0", "Windows", WINDOWS_11));

    expect(device).toEqual({ browser: "Edge", os: "Windows 11", deviceType: "desktop" });
  });

  it("ignores hints beside Firefox agent", () => {
    // Chromium that presents a Firefox User-Agent still sends hints, which Firefox never does.
    const signals = hints(BRANDS.chromiumOnly, "?0", "Windows", WINDOWS_10);

    expect(describeDevice(parseUserAgent(A.firefoxWindows, signals))).toBe("Firefox on Windows");
  });

  it("ignores hints beside Safari agent", () => {
    const signals = hints(BRANDS.chromiumOnly, "?0", "macOS", "10_15_7");

    expect(describeDevice(parseUserAgent(A.safariMac, { ...signals, maxTouchPoints: 0 }))).toBe(
      "Safari on macOS",
    );
    expect(describeDevice(parseUserAgent(A.safariMac, { ...signals, maxTouchPoints: 5 }))).toBe(
      "Safari on iPadOS",
    );
    expect(describeDevice(parseUserAgent(A.safariMac, signals))).toBe("Safari on Mac or iPad");
  });

  it("reads any Mac agent with touch as iPad", () => {
    // No Mac has a touchscreen, so a Mac User-Agent with touch points is an iPad in desktop mode.
    const device = parseUserAgent(A.chromeMac, { maxTouchPoints: 5 });

    expect(device).toEqual({ browser: "Chrome", os: "iPadOS", deviceType: "tablet" });
  });

  it("ignores version hint from another platform", () => {
    // A platform version only means a Windows release when the platform is Windows.
    const signals = hints(BRANDS.chrome, "?0", "macOS", WINDOWS_11);

    expect(parseUserAgent(A.chromeWindows, signals).os).toBe("Windows");
  });
});

// More real User-Agent strings, without client hints, so that together with the tables above
// every major browser appears on every platform it ships on.
describe("parseUserAgent on more platforms", () => {
  const cases: [string, string, string, DeviceType][] = [
    [
      "Googlebot",
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      "Unknown browser",
      "other",
    ],
    [
      "Bingbot",
      "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
      "Unknown browser",
      "other",
    ],
    ["Wget", "Wget/1.21.3", "Unknown browser", "other"],
    ["Python requests", "python-requests/2.32.3", "Unknown browser", "other"],
    [
      "Firefox on an Android phone",
      "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0",
      "Firefox on Android",
      "mobile",
    ],
    [
      "Firefox on an Android tablet",
      "Mozilla/5.0 (Android 14; Tablet; rv:133.0) Gecko/133.0 Firefox/133.0",
      "Firefox on Android",
      "tablet",
    ],
    [
      "Opera on Android",
      "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 OPR/86.0.0.0",
      "Opera on Android",
      "mobile",
    ],
    [
      "Chrome on Linux",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Chrome on Linux",
      "desktop",
    ],
    [
      "Chrome on ChromeOS",
      "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Chrome on ChromeOS",
      "desktop",
    ],
    [
      "Edge on Linux",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
      "Edge on Linux",
      "desktop",
    ],
    [
      "Opera on macOS",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0",
      "Opera on macOS",
      "desktop",
    ],
    [
      "Vivaldi on Windows",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Vivaldi/7.0.3495.18",
      "Vivaldi on Windows",
      "desktop",
    ],
    [
      "iPad in desktop mode without touch points",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
      "Safari on Mac or iPad",
      "other",
    ],
    [
      "Samsung Internet on a tablet",
      "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Safari/537.36",
      "Samsung Internet on Android",
      "tablet",
    ],
    [
      "Firefox on an iPad",
      "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15",
      "Firefox on iPadOS",
      "tablet",
    ],
    [
      "Edge on Windows Phone",
      "Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.15063",
      "Edge on Windows Phone",
      "mobile",
    ],
    [
      "Snapchat in-app browser",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Snapchat/13.10.0.44 (like Safari/8617.2.4.10.8, panda)",
      "Snapchat on iOS",
      "mobile",
    ],
    [
      "TikTok web view on Android",
      "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/127.0.6533.103 Mobile Safari/537.36 trill_360204 BytedanceWebview/d8a21c6",
      "Android WebView on Android",
      "mobile",
    ],
  ];

  it.each(cases)("labels %s", (_case, userAgent, label, deviceType) => {
    const device = parseUserAgent(userAgent);
    expect(describeDevice(device)).toBe(label);
    expect(device.deviceType).toBe(deviceType);
  });
});
