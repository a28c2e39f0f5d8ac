// Locations from the headers that a hosting platform adds at its edge. They are read only
// when LOCATION_SOURCE names that platform: without the platform in front of the app, any
// client can send these headers and choose the location it is shown under.

import type { GeoHeaders } from "../request-context";
import {
  formatLocation,
  parseCountryCode,
  TOR_NETWORK,
  unknownLocation,
  type Location,
} from "./label";

// Cloudflare's country value for a Tor exit node.
const CLOUDFLARE_TOR = "T1";

/**
 * Builds a location from Vercel's `x-vercel-ip-country` and URL-encoded `x-vercel-ip-city`.
 * `x-vercel-ip-country-region` is an ISO 3166-2 subdivision code such as "BE", not a name,
 * so it is not shown.
 */
export function locationFromVercelHeaders(headers: GeoHeaders): Location {
  return formatLocation({
    countryCode: headers.vercelCountry,
    city: decodeHeaderText(headers.vercelCity),
  });
}

/**
 * Builds a location from Cloudflare's `cf-ipcountry`, plus `cf-ipcity` and `cf-region` when
 * the zone adds visitor location headers. "XX" (no data) reads Unknown location and "T1" (a
 * Tor exit node, which reveals nothing about where the person is) reads Tor network.
 */
export function locationFromCloudflareHeaders(headers: GeoHeaders): Location {
  const country = headers.cloudflareCountry?.trim().toUpperCase();
  if (country === CLOUDFLARE_TOR) return { label: TOR_NETWORK, countryCode: null };
  if (!parseCountryCode(country)) return unknownLocation();
  return formatLocation({
    countryCode: country,
    city: decodeHeaderText(headers.cloudflareCity),
    region: decodeHeaderText(headers.cloudflareRegion),
  });
}

/**
 * Returns the text of a place-name header. Percent-encoded values (Vercel's city) are decoded.
 * Raw UTF-8 bytes, which Node exposes as one Latin-1 character per byte, are decoded as UTF-8.
 * A value that is neither comes back as it was.
 */
export function decodeHeaderText(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (value.includes("%")) {
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return utf8FromLatin1(value);
}

function utf8FromLatin1(value: string): string {
  // Only characters above U+007F and up to U+00FF can be bytes of a UTF-8 sequence.
  if (!/[\u0080-\u00ff]/.test(value) || /[^\u0000-\u00ff]/.test(value)) return value;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(value, "latin1"));
  } catch {
    return value;
  }
}
