import { describe, expect, it } from "vitest";

import { formatLocation } from "./label";
import { placeFromRecord } from "./database";

// Shaped like a GeoLite2-City record, trimmed to the fields that are read.
const GEOLITE2_CITY = {
  city: { geoname_id: 2950159, names: { de: "Berlin", en: "Berlin" } },
  country: { geoname_id: 2921044, iso_code: "DE", names: { en: "Germany" } },
  registered_country: { geoname_id: 2921044, iso_code: "DE", names: { en: "Germany" } },
  subdivisions: [{ geoname_id: 2950157, iso_code: "BE", names: { en: "Land Berlin" } }],
};

describe("placeFromRecord", () => {
  it("reads GeoLite2 city record", () => {
    expect(placeFromRecord(GEOLITE2_CITY)).toEqual({
      countryCode: "DE",
      countryName: "Germany",
      city: "Berlin",
      region: "Land Berlin",
    });
  });

  it("reads GeoLite2 country record", () => {
    const record = { country: { iso_code: "JP", names: { en: "Japan" } } };

    expect(placeFromRecord(record)).toEqual({
      countryCode: "JP",
      countryName: "Japan",
      city: null,
      region: null,
    });
  });

  it("falls back to registered country", () => {
    const record = { registered_country: { iso_code: "NL", names: { en: "Netherlands" } } };

    expect(placeFromRecord(record).countryCode).toBe("NL");
  });

  it("reads flat country record", () => {
    expect(placeFromRecord({ country_code: "US" })).toEqual({
      countryCode: "US",
      city: null,
      region: null,
    });
  });

  it("reads flat city record", () => {
    const record = {
      city: "Munich",
      country_code: "DE",
      state1: "Bavaria",
      state2: "Upper Bavaria",
      latitude: 48.1374,
      longitude: 11.5755,
    };

    expect(placeFromRecord(record)).toEqual({
      countryCode: "DE",
      city: "Munich",
      region: "Bavaria",
    });
  });

  it.each([
    ["Frankfurt am Main (Innenstadt I)", "Frankfurt am Main"],
    ["Amsterdam (Amsterdam-Centrum)", "Amsterdam"],
    ["Fujisawa (Endo)", "Fujisawa"],
    ["Villa (Centro) Alta", "Villa (Centro) Alta"],
    ["(Unnamed)", "(Unnamed)"],
  ])("drops district from %j", (city, expected) => {
    expect(placeFromRecord({ country_code: "DE", city }).city).toBe(expected);
  });

  it.each([null, undefined, "DE", 42, [], { city: 7 }])("reads %j as empty", (record) => {
    expect(formatLocation(placeFromRecord(record)).label).toBe("Unknown location");
  });
});
