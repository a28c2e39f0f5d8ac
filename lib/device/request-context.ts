import { readClientHints, type ClientHints } from "./client-hints";
import { clientIpFromForwardedFor } from "./client-ip";
import { MAX_USER_AGENT_LENGTH } from "./user-agent";

/** Client details that Tessera records for a request. */
export interface RequestContext {
  userAgent: string;
  /** Normalized client IP address, or null when the request carries none. */
  ip: string | null;
  /** `Sec-CH-UA-*` headers, absent when the browser sent none (every non-Chromium browser). */
  clientHints?: ClientHints;
  /**
   * `navigator.maxTouchPoints` as the sign-in and sign-up forms report it. It is absent or null
   * when unknown, as on every request other than those form posts.
   */
  maxTouchPoints?: number | null;
  /** Location headers that a hosting platform adds, present only when the request had any. */
  geoHeaders?: GeoHeaders;
}

/**
 * Location headers set by Vercel (`x-vercel-ip-*`) or Cloudflare (`cf-*`), as received and
 * cut to a maximum length. Any client can send them, so they are read only when
 * LOCATION_SOURCE names the platform that sets them.
 */
export interface GeoHeaders {
  vercelCountry?: string;
  /** ISO 3166-2 subdivision code. */
  vercelRegion?: string;
  /** URL-encoded, as Vercel sends it. */
  vercelCity?: string;
  cloudflareCountry?: string;
  cloudflareCity?: string;
  cloudflareRegion?: string;
}

const GEO_HEADER_NAMES = {
  vercelCountry: "x-vercel-ip-country",
  vercelRegion: "x-vercel-ip-country-region",
  vercelCity: "x-vercel-ip-city",
  cloudflareCountry: "cf-ipcountry",
  cloudflareCity: "cf-ipcity",
  cloudflareRegion: "cf-region",
} as const satisfies Record<keyof GeoHeaders, string>;

// Room for a place name of about 28 characters even when each one is percent-encoded UTF-8,
// which takes 9 characters for most CJK characters.
const MAX_GEO_HEADER_LENGTH = 256;

export interface HeaderReader {
  get(name: string): string | null;
}

// Real touchscreens report about 5 to 10 points (an estimate), so values above this cap are
// rejected as implausible.
const MAX_TOUCH_POINTS = 256;

export function readRequestContext(
  headers: HeaderReader,
  trustedProxyHops: number,
): RequestContext {
  const context: RequestContext = {
    userAgent: (headers.get("user-agent") ?? "").slice(0, MAX_USER_AGENT_LENGTH),
    ip: clientIpFromForwardedFor(headers.get("x-forwarded-for"), trustedProxyHops),
  };
  const clientHints = readClientHints(headers);
  if (clientHints) context.clientHints = clientHints;
  const geoHeaders = readGeoHeaders(headers);
  if (geoHeaders) context.geoHeaders = geoHeaders;
  return context;
}

/** Returns the platform location headers that are present and not blank, or undefined. */
function readGeoHeaders(headers: HeaderReader): GeoHeaders | undefined {
  const geoHeaders: GeoHeaders = {};
  let found = false;
  for (const [key, name] of Object.entries(GEO_HEADER_NAMES)) {
    const value = headers.get(name)?.trim();
    if (!value) continue;
    geoHeaders[key as keyof GeoHeaders] = value.slice(0, MAX_GEO_HEADER_LENGTH);
    found = true;
  }
  return found ? geoHeaders : undefined;
}

/**
 * Parses the touch-point count that a form submitted, or returns null when the field is
 * missing (the browser ran no JavaScript) or is not a small non-negative integer.
 */
export function parseMaxTouchPoints(value: FormDataEntryValue | null): number | null {
  if (typeof value !== "string" || !/^\d{1,3}$/.test(value)) return null;
  const count = Number(value);
  return count <= MAX_TOUCH_POINTS ? count : null;
}
