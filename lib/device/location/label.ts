// Display labels for a location, in English.

export const LOCAL_NETWORK = "Local network";
export const UNKNOWN_LOCATION = "Unknown location";
export const TOR_NETWORK = "Tor network";

// Display text goes into the sessions table and onto the devices page, so longer names are cut.
const MAX_PLACE_NAME_LENGTH = 100;

/** A coarse location for display. */
export interface Location {
  /** "Berlin, Germany", "Germany", "Local network", "Tor network" or "Unknown location". */
  label: string;
  /** ISO 3166-1 alpha-2 code in upper case, or null when unknown or local. */
  countryCode: string | null;
}

/** Place fields that a source found for an address, before they become a label. */
export interface Place {
  countryCode?: string | null;
  /** The source's own English country name, used only when Intl has none for the code. */
  countryName?: string | null;
  city?: string | null;
  /** State, province or similar subdivision name (not a code). */
  region?: string | null;
}

export const localNetwork = (): Location => ({ label: LOCAL_NETWORK, countryCode: null });
export const unknownLocation = (): Location => ({ label: UNKNOWN_LOCATION, countryCode: null });

const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });

// Well-formed codes that name no country: "XX" is Cloudflare's "no data" and "ZZ" is Unicode's
// unknown region. Cloudflare's "T1" (Tor exit) fails the letters-only check.
const NOT_A_COUNTRY = new Set(["XX", "ZZ"]);

/**
 * Returns the upper-case alpha-2 code when `code` is one, or null. The markers for an unknown
 * country, "XX" and "ZZ", return null.
 */
export function parseCountryCode(code: string | null | undefined): string | null {
  if (!code || !/^[A-Za-z]{2}$/.test(code.trim())) return null;
  const upper = code.trim().toUpperCase();
  return NOT_A_COUNTRY.has(upper) ? null : upper;
}

/** Returns the English name of a country code, or null when Intl does not know it. */
export function countryName(code: string): string | null {
  try {
    return regionNames.of(code) ?? null;
  } catch {
    // `of` throws a RangeError for a code that is not a valid region subtag.
    return null;
  }
}

/**
 * Builds the label "City, Country", "Region, Country" or "Country" from what a source found,
 * or Unknown location when it found no country. The country name comes from Intl in English
 * so every source spells it the same way.
 */
export function formatLocation(place: Place): Location {
  const code = parseCountryCode(place.countryCode);
  const country = code
    ? (countryName(code) ?? cleanPlaceName(place.countryName))
    : cleanPlaceName(place.countryName);
  if (!country) return unknownLocation();

  const locality = cleanPlaceName(place.city) ?? cleanPlaceName(place.region);
  const label = locality && locality !== country ? `${locality}, ${country}` : country;
  return { label, countryCode: code };
}

/**
 * Trims a place name from a database or header and drops control characters, or returns
 * null when nothing is left.
 */
export function cleanPlaceName(name: string | null | undefined): string | null {
  if (typeof name !== "string") return null;
  const cleaned = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, "").trim();
  if (cleaned === "") return null;
  return cleaned.slice(0, MAX_PLACE_NAME_LENGTH);
}
