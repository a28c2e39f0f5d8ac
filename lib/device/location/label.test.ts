import { describe, expect, it } from "vitest";

import { cleanPlaceName, formatLocation, parseCountryCode } from "./label";

describe("formatLocation", () => {
  it.each([
    [{ countryCode: "DE", city: "Berlin", region: "Land Berlin" }, "Berlin, Germany", "DE"],
    [{ countryCode: "DE", region: "Bavaria" }, "Bavaria, Germany", "DE"],
    [{ countryCode: "de" }, "Germany", "DE"],
    [{ countryCode: "SG", city: "Singapore" }, "Singapore", "SG"],
    [{ countryCode: "XK" }, "Kosovo", "XK"],
    [
      { countryCode: null, countryName: "Atlantis", city: "Poseidonia" },
      "Poseidonia, Atlantis",
      null,
    ],
  ])("labels %j", (place, label, countryCode) => {
    expect(formatLocation(place)).toEqual({ label, countryCode });
  });

  it.each([
    {},
    { city: "Berlin" },
    { countryCode: "XX" },
    { countryCode: "ZZ" },
    { countryCode: "T1" },
    { countryCode: "DEU" },
    { countryCode: "  " },
  ])("labels %j unknown", (place) => {
    expect(formatLocation(place)).toEqual({ label: "Unknown location", countryCode: null });
  });

  it("prefers Intl English name", () => {
    const place = { countryCode: "DE", countryName: "Deutschland", city: "Köln" };

    expect(formatLocation(place).label).toBe("Köln, Germany");
  });
});

describe("parseCountryCode", () => {
  it.each([
    ["US", "US"],
    ["us", "US"],
    [" gb ", "GB"],
    ["XX", null],
    ["t1", null],
    ["USA", null],
    ["U1", null],
    ["", null],
    [null, null],
  ])("parses %j", (code, expected) => {
    expect(parseCountryCode(code)).toBe(expected);
  });
});

describe("cleanPlaceName", () => {
  it("removes control characters", () => {
    expect(cleanPlaceName("Ber\u0000lin\n")).toBe("Berlin");
  });

  it("cuts long names", () => {
    expect(cleanPlaceName("x".repeat(500))).toHaveLength(100);
  });

  it.each([null, undefined, "", " \t "])("returns null for %j", (name) => {
    expect(cleanPlaceName(name)).toBeNull();
  });
});
