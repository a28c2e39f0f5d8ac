// Device labels from the User-Agent header, parsed with ua-parser-js 1.x (MIT; 2.x is
// AGPL-3.0, which a reference meant to be copied into closed products cannot use), and
// corrected with client hints and the touch-point count that the sign-in forms report.

import UAParser from "ua-parser-js";

import type { Brand, ClientHints } from "./client-hints";

export type DeviceType = "desktop" | "mobile" | "tablet" | "other";

export interface DeviceInfo {
  /** Browser name such as "Chrome", or null when the parser does not recognise it. */
  browser: string | null;
  /** Operating system name such as "macOS" or "Windows 11", or null when unknown. */
  os: string | null;
  deviceType: DeviceType;
}

/** Signals beside the User-Agent header that make the device label more accurate. */
export interface DeviceSignals {
  clientHints?: ClientHints;
  /** `navigator.maxTouchPoints` from the browser, or null or absent when it is unknown. */
  maxTouchPoints?: number | null;
}

/** User agents longer than this are truncated before parsing and storage. */
export const MAX_USER_AGENT_LENGTH = 512;

/** OS label for a Safari Mac user agent when the touch-point count is unknown. */
export const MAC_OR_IPAD = "Mac or iPad";

// ua-parser-js 1.x reports some names in older spellings than the vendors use today.
const OS_NAMES: Record<string, string> = {
  "Mac OS": "macOS",
  "Chromium OS": "ChromeOS",
  "Chrome OS": "ChromeOS",
};

const BROWSER_NAMES: Record<string, string> = {
  "Mobile Safari": "Safari",
  "Chrome Headless": "Chrome",
  "Mobile Chrome": "Chrome",
  "Mobile Firefox": "Firefox",
  "Opera Touch": "Opera",
  "Samsung Browser": "Samsung Internet",
  "Chrome WebView": "Android WebView",
  Facebook: "Facebook in-app browser",
  Instagram: "Instagram in-app browser",
};

// In-app browsers embed a system web view, and on Android that web view sends a Chromium
// brand list. Their own tokens in the User-Agent identify them better than those brands.
const IN_APP_BROWSERS: [RegExp, string][] = [
  [/\bFBAN\/|\bFBAV\//, "Facebook in-app browser"],
  [/\bInstagram\b/, "Instagram in-app browser"],
];

// `Sec-CH-UA` brand names, most specific first. "Chromium" is in every Chromium-based
// browser's list, so it alone does not name the browser, and the User-Agent decides.
const BRAND_NAMES: [string, string][] = [
  ["Microsoft Edge", "Edge"],
  ["Opera", "Opera"],
  ["Opera GX", "Opera"],
  ["Brave", "Brave"],
  ["Samsung Internet", "Samsung Internet"],
  ["Android WebView", "Android WebView"],
  ["Google Chrome", "Chrome"],
];

const DESKTOP_SYSTEMS = ["Windows", "macOS", "Linux", "Ubuntu", "Debian", "Fedora", "ChromeOS"];

// Values of `Sec-CH-UA-Platform` as Chromium spells them, mapped to the labels used here.
const PLATFORM_NAMES: Record<string, string> = {
  Windows: "Windows",
  macOS: "macOS",
  Linux: "Linux",
  Android: "Android",
  "Chrome OS": "ChromeOS",
  "Chromium OS": "ChromeOS",
  iOS: "iOS",
};

/**
 * Parses the User-Agent header into a browser, OS and device type, then corrects the result
 * with client hints and the touch-point count when the caller has them.
 *
 * Version numbers in the User-Agent are never shown: Windows (`NT 10.0`), macOS (`10_15_7`)
 * and Android (`10; K`) freeze them. Only `Sec-CH-UA-Platform-Version` can tell Windows 11
 * from Windows 10.
 */
export function parseUserAgent(userAgent: string, signals: DeviceSignals = {}): DeviceInfo {
  const truncated = userAgent.slice(0, MAX_USER_AGENT_LENGTH);
  const result = new UAParser(truncated).getResult();
  const hints = hintsMatchingEngine(signals.clientHints, result.engine.name);

  const parsedOs = nonEmpty(result.os.name);
  let os = parsedOs ? (OS_NAMES[parsedOs] ?? parsedOs) : platformFromHints(hints);
  const browser = browserFromUserAgent(truncated, nonEmpty(result.browser.name), os, hints);
  let deviceType = deviceTypeOf(result.device.type, os, hints);

  if (os === "Windows") os = windowsRelease(hints);
  if (os === "iOS" && result.device.model === "iPad" && majorVersion(result.os.version) >= 13) {
    // Apple renamed iOS on the iPad to iPadOS with version 13.
    os = "iPadOS";
  }
  if (os === "macOS") {
    // iPadOS Safari sends a Mac User-Agent by default. A Mac reports 0 touch points and an
    // iPad 5, so only the touch-point count separates them.
    const touchPoints = signals.maxTouchPoints;
    if (touchPoints != null && touchPoints > 1) {
      os = "iPadOS";
      deviceType = "tablet";
    } else if (touchPoints == null && browser === "Safari") {
      os = MAC_OR_IPAD;
      deviceType = "other";
    }
  }
  return { browser, os, deviceType };
}

function browserFromUserAgent(
  userAgent: string,
  parsedBrowser: string | null,
  os: string | null,
  hints: ClientHints | undefined,
): string | null {
  for (const [pattern, name] of IN_APP_BROWSERS) {
    if (pattern.test(userAgent)) return name;
  }
  const fromBrands = browserFromBrands(hints?.brands ?? null);
  if (fromBrands) return fromBrands;
  // Android web views add `; wv` to the platform part of the User-Agent.
  if (os === "Android" && /; wv\)/.test(userAgent)) return "Android WebView";
  return parsedBrowser ? (BROWSER_NAMES[parsedBrowser] ?? parsedBrowser) : null;
}

// Only Chromium-based browsers send client hints. Hints beside a Gecko or WebKit User-Agent
// come from a Chromium browser that presents another browser's User-Agent (a user setting, an
// extension or an automated test), and the User-Agent is then the label the user chose.
function hintsMatchingEngine(
  hints: ClientHints | undefined,
  engine: string | undefined,
): ClientHints | undefined {
  return engine === "Gecko" || engine === "WebKit" ? undefined : hints;
}

function browserFromBrands(brands: Brand[] | null): string | null {
  if (!brands) return null;
  const names = new Set(brands.map((brand) => brand.name));
  return BRAND_NAMES.find(([brand]) => names.has(brand))?.[1] ?? null;
}

function platformFromHints(hints: ClientHints | undefined): string | null {
  return hints?.platform ? (PLATFORM_NAMES[hints.platform] ?? null) : null;
}

// Chromium reports the Windows.Foundation.UniversalApiContract version as the platform
// version on Windows: 1 to 10 on Windows 10, 13 and above on Windows 11, and 0 before 10.
function windowsRelease(hints: ClientHints | undefined): string {
  if (hints?.platform !== "Windows" || !hints.platformVersion) return "Windows";
  const major = majorVersion(hints.platformVersion);
  if (major >= 13) return "Windows 11";
  if (major >= 1 && major <= 10) return "Windows 10";
  return "Windows";
}

function deviceTypeOf(
  parsedType: string | undefined,
  os: string | null,
  hints: ClientHints | undefined,
): DeviceType {
  if (hints?.mobile === true) return "mobile";
  // Chromium on an Android tablet sends `?0`, but its frozen User-Agent can still contain Mobile.
  if (hints?.mobile === false && os === "Android") return "tablet";
  if (parsedType === "mobile") return "mobile";
  if (parsedType === "tablet") return "tablet";
  if (parsedType !== undefined) return "other";
  // ua-parser-js leaves the type empty for desktops, so only a desktop OS makes it one.
  return os && DESKTOP_SYSTEMS.includes(os) ? "desktop" : "other";
}

// The leading number of a version such as "15.0.0" or "17.4", or NaN.
function majorVersion(version: string | undefined): number {
  return Number(/^(\d+)(?:\.|$)/.exec(version ?? "")?.[1] ?? NaN);
}

function nonEmpty(value: string | undefined): string | null {
  return value && value.trim() !== "" ? value : null;
}

/** Formats a label such as "Chrome on macOS"; never returns an empty string. */
export function describeDevice(device: Pick<DeviceInfo, "browser" | "os">): string {
  const browser = device.browser || "Unknown browser";
  return device.os ? `${browser} on ${device.os}` : browser;
}
