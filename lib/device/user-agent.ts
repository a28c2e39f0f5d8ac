// Device labels from the User-Agent header, parsed with ua-parser-js 1.x (MIT; 2.x is
// AGPL-3.0, which a reference meant to be copied into closed products cannot use).

import UAParser from "ua-parser-js";

export type DeviceType = "desktop" | "mobile" | "tablet" | "other";

export interface DeviceInfo {
  /** Browser name such as "Chrome", or null when the parser does not recognise it. */
  browser: string | null;
  /** Operating system name such as "macOS", or null when unknown. */
  os: string | null;
  deviceType: DeviceType;
}

/** User agents longer than this are truncated before parsing and storage. */
export const MAX_USER_AGENT_LENGTH = 512;

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
};

export function parseUserAgent(userAgent: string): DeviceInfo {
  const result = new UAParser(userAgent.slice(0, MAX_USER_AGENT_LENGTH)).getResult();
  const browser = result.browser.name ?? null;
  const os = result.os.name ?? null;
  return {
    browser: browser ? (BROWSER_NAMES[browser] ?? browser) : null,
    os: os ? (OS_NAMES[os] ?? os) : null,
    deviceType: deviceTypeOf(result.device.type, result.os.name),
  };
}

function deviceTypeOf(parsedType: string | undefined, os: string | undefined): DeviceType {
  if (parsedType === "mobile") return "mobile";
  if (parsedType === "tablet") return "tablet";
  if (parsedType !== undefined) return "other";
  // ua-parser-js leaves the type empty for desktops, so only a desktop OS makes it one.
  const desktopSystems = [
    "Windows",
    "Mac OS",
    "Linux",
    "Ubuntu",
    "Debian",
    "Fedora",
    "Chromium OS",
  ];
  return os && desktopSystems.includes(os) ? "desktop" : "other";
}

/** Formats a label such as "Chrome on macOS"; never returns an empty string. */
export function describeDevice(device: Pick<DeviceInfo, "browser" | "os">): string {
  const browser = device.browser ?? "Unknown browser";
  return device.os ? `${browser} on ${device.os}` : browser;
}
