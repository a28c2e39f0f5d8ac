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
}

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
  return context;
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
