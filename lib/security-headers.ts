// Security headers for every response that middleware handles: a Content-Security-Policy with
// a per-request script nonce, HSTS over HTTPS, `Cache-Control: no-store` on authenticated
// responses, and the fixed headers of static-security-headers.mjs.
//
// This module is part of the edge bundle: it must not import `server-only`, the database,
// Node built-ins or zod.
//
// NOTE: a header that middleware sets wins over the same header from a route handler. Next.js
// 16.5 (server/send-response.js) copies a route handler's header only when the response does
// not carry it yet. Per-path exceptions, such as `no-referrer`, therefore live here.

import { STATIC_SECURITY_HEADERS } from "./static-security-headers.mjs";

export { STATIC_SECURITY_HEADERS };

/** Two years: how long a browser keeps to HTTPS after one HSTS response. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

/** Random bytes in a nonce. 128 bits cannot be guessed within a page's lifetime. */
const NONCE_BYTES = 16;

// Same range as lib/env.ts, which validates the variable when the Node server starts.
const MAX_TRUSTED_PROXY_HOPS = 10;

/**
 * Policy for route handlers that respond with JSON. Such a response is never a document, so
 * nothing in it may load or run, and no page may frame it.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

// Paths whose URL carries a secret: the "This wasn't me" link of a new sign-in alert. Their
// responses send no Referer onward.
const SECRET_URL_PATHS = new Set(["/auth/report-sign-in"]);

/** Standard base64 of 16 random bytes, new for every request. Web Crypto works on the edge. */
export function generateNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  return btoa(String.fromCharCode(...bytes));
}

export interface PagePolicyOptions {
  nonce: string;
  https: boolean;
  development: boolean;
}

/** Builds the Content-Security-Policy of an HTML page. */
export function buildPageContentSecurityPolicy(options: PagePolicyOptions): string {
  // With 'strict-dynamic', scripts that a nonced script loads may run, which is how Next.js
  // loads its chunks. Browsers that support it ignore 'self' here, and browsers without it
  // (CSP level 2) fall back to 'self' for those chunks.
  const scriptSources = ["'self'", `'nonce-${options.nonce}'`, "'strict-dynamic'"];
  // React's development build uses eval to show server error stacks in the browser. Next.js
  // and React do not use eval in production builds (Next.js 16 guide "Content Security
  // Policy").
  if (options.development) scriptSources.push("'unsafe-eval'");

  const directives = [
    "default-src 'self'",
    `script-src ${scriptSources.join(" ")}`,
    // React renders `style` props as style attributes in server HTML (the access timeline
    // does), and no nonce can allow an attribute: only 'unsafe-inline' can. Inline CSS cannot
    // run script, and img-src and font-src below keep it from loading anything from another
    // origin.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (options.https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/**
 * Reads `TRUSTED_PROXY_HOPS`, the number of reverse proxies in front of the app. Throws the
 * same kind of message as lib/env.ts for a value that is not a whole number from 0 to 10.
 */
export function parseTrustedProxyHops(raw: string | undefined): number {
  const value = raw?.trim() ?? "";
  if (value === "") return 0;
  const hops = Number(value);
  if (!/^\d+$/.test(value) || hops > MAX_TRUSTED_PROXY_HOPS) {
    throw new Error(
      `TRUSTED_PROXY_HOPS must be a whole number from 0 to ${MAX_TRUSTED_PROXY_HOPS}, ` +
        `got "${raw}".`,
    );
  }
  return hops;
}

let cachedTrustedProxyHops: number | undefined;

/** Returns `TRUSTED_PROXY_HOPS`, parsed once per process. */
export function getTrustedProxyHops(): number {
  // Read by its literal name: the Edge runtime exposes only variables referenced statically.
  cachedTrustedProxyHops ??= parseTrustedProxyHops(process.env.TRUSTED_PROXY_HOPS);
  return cachedTrustedProxyHops;
}

export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * Decides whether the browser reached the app over HTTPS.
 *
 * `next start` serves plain HTTP and builds the request URL's scheme from
 * `X-Forwarded-Proto` whenever the request carries one (Next.js 16.5, resolve-routes.js),
 * and any client can send that header. So the header counts only with trusted proxies in
 * front, read like `X-Forwarded-For`: the entry `trustedProxyHops` places from the right.
 * Without proxies, a request that carries the header is treated as plain HTTP.
 *
 * NOTE: a proxy that overwrites the header with its own scheme, instead of passing the outer
 * proxy's value on, hides HTTPS from the app when it is not the outermost proxy.
 */
export function isHttpsRequest(
  url: { protocol: string },
  headers: HeaderSource,
  trustedProxyHops: number,
): boolean {
  const forwardedProto = headers.get("x-forwarded-proto");
  if (forwardedProto === null) return url.protocol === "https:";
  if (trustedProxyHops === 0) return false;

  const entries = forwardedProto
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== "");
  // A header shorter than the hop count did not pass every proxy. As with X-Forwarded-For,
  // its left-most entry is the best remaining guess.
  return entries[Math.max(entries.length - trustedProxyHops, 0)] === "https";
}

export interface SecurityRequest {
  pathname: string;
  method: string;
  https: boolean;
  development: boolean;
  /** The request carries a Tessera session or token cookie. */
  hasAuthCookie: boolean;
}

/** The security headers of one response, decided before middleware routes the request. */
export interface ResponseSecurity {
  /** Nonce of the page's scripts, or null for API paths, which serve no HTML. */
  nonce: string | null;
  contentSecurityPolicy: string;
  referrerPolicy: string;
  /** Null over plain HTTP and in development. */
  strictTransportSecurity: string | null;
  noStore: boolean;
}

/** Decides the security headers for a request, with a fresh nonce for a page. */
export function planResponseSecurity(request: SecurityRequest): ResponseSecurity {
  const nonce = isApiPath(request.pathname) ? null : generateNonce();
  const contentSecurityPolicy =
    nonce === null
      ? API_CONTENT_SECURITY_POLICY
      : buildPageContentSecurityPolicy({
          nonce,
          https: request.https,
          development: request.development,
        });

  return {
    nonce,
    contentSecurityPolicy,
    referrerPolicy: SECRET_URL_PATHS.has(request.pathname)
      ? "no-referrer"
      : STATIC_SECURITY_HEADERS["Referrer-Policy"],
    // HSTS on a development host would pin it, and every other project on that host, to
    // HTTPS for two years.
    strictTransportSecurity:
      request.https && !request.development
        ? `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`
        : null,
    // A response to a request with Tessera cookies may show the user's data, so this also
    // replaces the JWKS route's public caching for a signed-in browser. A response to a POST
    // (server actions, refresh) may set or clear those cookies.
    noStore: request.hasAuthCookie || !isSafeMethod(request.method),
  };
}

/** Sets every security header of `security` on a response's headers. */
export function setSecurityHeaders(headers: Headers, security: ResponseSecurity): void {
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) {
    headers.set(name, value);
  }
  headers.set("Referrer-Policy", security.referrerPolicy);
  headers.set("Content-Security-Policy", security.contentSecurityPolicy);
  if (security.strictTransportSecurity !== null) {
    headers.set("Strict-Transport-Security", security.strictTransportSecurity);
  }
  if (security.noStore) headers.set("Cache-Control", "no-store");
}

/**
 * Returns a copy of the request headers that carries the policy. Next.js reads the nonce for
 * its own scripts from the request's Content-Security-Policy header while rendering, so the
 * copy also replaces any such header that the client sent.
 */
export function withContentSecurityPolicy(
  requestHeaders: Headers,
  security: ResponseSecurity,
): Headers {
  const headers = new Headers(requestHeaders);
  headers.set("Content-Security-Policy", security.contentSecurityPolicy);
  return headers;
}

function isApiPath(pathname: string): boolean {
  return pathname.startsWith("/api/") || pathname.startsWith("/.well-known/");
}

function isSafeMethod(method: string): boolean {
  return method === "GET" || method === "HEAD";
}
