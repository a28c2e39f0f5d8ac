import type { DeviceInfo } from "./user-agent";

/**
 * Builds the key that decides whether two sign-ins came from the same kind of device:
 * browser, OS and device type, lower-case, such as "chrome|macos|desktop".
 *
 * The Windows release is dropped because Chromium reports it only with high-entropy client
 * hints, so one machine reads "Windows" on some requests and "Windows 11" on others. The
 * migration that added the column computes the same key in SQL for older rows.
 */
export function deviceKeyOf(device: DeviceInfo): string {
  const browser = device.browser ?? "unknown";
  const os = device.os?.replace(/ \d+$/, "") ?? "unknown";
  return `${browser}|${os}|${device.deviceType}`.toLowerCase();
}
