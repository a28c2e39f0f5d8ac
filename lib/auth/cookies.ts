// The one place that names Tessera's cookies and sets their attributes.
//
// Middleware reads these cookies, so this module is part of the edge bundle and cannot
// import `server-only` or `next/headers`. Callers pass the cookie store they hold:
// `request.cookies` / `response.cookies` in middleware and route handlers, or the store from
// `cookies()` in server actions.

import { getEdgeAuthConfig } from "./edge-config";

export interface CookieReader {
  get(name: string): { value: string } | undefined;
}

export interface CookieOptions {
  httpOnly: boolean;
  sameSite: "lax";
  path: "/";
  secure: boolean;
  maxAge: number;
}

export interface CookieWriter {
  set(name: string, value: string, options: CookieOptions): unknown;
}

/**
 * Seconds a handshake guard lives. A second handshake inside this window means the token
 * just minted was refused again, so the handshake gives up instead of looping. A healthy
 * token stays acceptable longer than this: TOKEN_TTL_SECONDS is at least 5, and even a token
 * cut to 1 s by the absolute limit passes for 5 s more within the verifier's clock tolerance.
 */
export const HANDSHAKE_GUARD_SECONDS = 5;

interface CookieNames {
  session: string;
  token: string;
  handshakeGuard: string;
}

// `__Host-` makes the browser refuse the cookie unless it is Secure, has Path=/ and no
// Domain, so a sibling subdomain cannot plant or shadow it. It requires HTTPS (Chromium
// also accepts it on http://localhost and http://127.0.0.1).
function cookieNames(): CookieNames {
  const prefix = getEdgeAuthConfig().secureCookies ? "__Host-" : "";
  return {
    session: `${prefix}tessera_session`,
    token: `${prefix}tessera_token`,
    handshakeGuard: `${prefix}tessera_handshake`,
  };
}

function cookieOptions(maxAgeSeconds: number): CookieOptions {
  return {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: getEdgeAuthConfig().secureCookies,
    maxAge: maxAgeSeconds,
  };
}

export function readSessionSecret(cookies: CookieReader): string | undefined {
  return cookies.get(cookieNames().session)?.value || undefined;
}

export function readSessionToken(cookies: CookieReader): string | undefined {
  return cookies.get(cookieNames().token)?.value || undefined;
}

export function hasHandshakeGuard(cookies: CookieReader): boolean {
  return cookies.get(cookieNames().handshakeGuard) !== undefined;
}

/** Sets the long-lived session cookie, which carries the session secret. */
export function setSessionCookie(cookies: CookieWriter, secret: string, maxAgeSeconds: number) {
  cookies.set(cookieNames().session, secret, cookieOptions(maxAgeSeconds));
}

/** Sets the short-lived token cookie; it expires with the token. */
export function setTokenCookie(cookies: CookieWriter, token: string, maxAgeSeconds: number) {
  cookies.set(cookieNames().token, token, cookieOptions(maxAgeSeconds));
}

export function setHandshakeGuard(cookies: CookieWriter) {
  cookies.set(cookieNames().handshakeGuard, "1", cookieOptions(HANDSHAKE_GUARD_SECONDS));
}

/** Clears every Tessera cookie: the browser is signed out. */
export function clearAuthCookies(cookies: CookieWriter) {
  const names = cookieNames();
  for (const name of [names.session, names.token, names.handshakeGuard]) {
    cookies.set(name, "", cookieOptions(0));
  }
}

export function clearHandshakeGuard(cookies: CookieWriter) {
  cookies.set(cookieNames().handshakeGuard, "", cookieOptions(0));
}
