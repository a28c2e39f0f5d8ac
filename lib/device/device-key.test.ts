import { describe, expect, it } from "vitest";

import { deviceKeyOf } from "./device-key";

describe("deviceKeyOf", () => {
  it("joins browser, OS and type in lower case", () => {
    expect(deviceKeyOf({ browser: "Chrome", os: "macOS", deviceType: "desktop" })).toBe(
      "chrome|macos|desktop",
    );
  });

  it("treats Windows releases as one OS", () => {
    const windows11 = deviceKeyOf({ browser: "Edge", os: "Windows 11", deviceType: "desktop" });
    const windows = deviceKeyOf({ browser: "Edge", os: "Windows", deviceType: "desktop" });
    expect(windows11).toBe("edge|windows|desktop");
    expect(windows).toBe(windows11);
  });

  it("names unknown parts", () => {
    expect(deviceKeyOf({ browser: null, os: null, deviceType: "other" })).toBe(
      "unknown|unknown|other",
    );
  });

  it("keeps a Mac apart from an iPad", () => {
    const mac = deviceKeyOf({ browser: "Safari", os: "macOS", deviceType: "desktop" });
    const iPad = deviceKeyOf({ browser: "Safari", os: "iPadOS", deviceType: "tablet" });
    expect(mac).not.toBe(iPad);
  });
});
