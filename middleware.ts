// The first filter on every request. It verifies the token cookie with the public key and
// makes no database call. It runs on the Edge runtime, so it imports only edge-safe modules
// (jose and pure code), and lib/edge-bundle.test.ts walks its import graph to keep it so.
// Pages, route handlers and server actions verify again themselves. It also sets the security
// headers of every response it handles (lib/security-headers.ts), including the
// Content-Security-Policy whose nonce Next.js puts on the page's scripts.

import { NextResponse, type NextRequest } from "next/server";

import { readSessionSecret, readSessionToken } from "./lib/auth/cookies";
import { isSameOriginRequest } from "./lib/auth/origin";
import { safeReturnPath } from "./lib/auth/return-path";
import { verifySessionToken } from "./lib/auth/token-verify";
import { errorBody } from "./lib/errors";
import {
  getTrustedProxyHops,
  isHttpsRequest,
  planResponseSecurity,
  setSecurityHeaders,
  withContentSecurityPolicy,
  type ResponseSecurity,
} from "./lib/security-headers";

// Reachable without a token. Everything else requires one.
const PUBLIC_PATHS = new Set([
  "/",
  "/sign-in",
  "/sign-up",
  "/auth/handshake",
  // The "This wasn't me" link of a new sign-in alert, opened from a message, and its result.
  "/auth/report-sign-in",
  "/auth/sign-in-reported",
  "/api/auth/refresh",
  "/api/health",
  "/.well-known/jwks.json",
]);

export async function middleware(request: NextRequest): Promise<NextResponse> {
  const security = planSecurity(request);
  const response = await authorize(request, security);
  setSecurityHeaders(response.headers, security);
  return response;
}

async function authorize(request: NextRequest, security: ResponseSecurity): Promise<NextResponse> {
  const { pathname } = request.nextUrl;
  // Every POST to a page is a server action. Next.js 16.5 rejects a cross-site one itself, but
  // with a 500, so this returns 403 first, with the same rule as the refresh endpoint.
  if (isPagePost(request) && !isSameOriginRequest(request.headers)) {
    return NextResponse.json(errorBody("cross_site_request"), {
      status: 403,
      headers: { "Cache-Control": "no-store" },
    });
  }
  if (PUBLIC_PATHS.has(pathname)) return passThrough(request, security);

  const verification = await verifySessionToken(readSessionToken(request.cookies));
  if (verification.ok) return passThrough(request, security);

  const hasSession = readSessionSecret(request.cookies) !== undefined;
  // A server action posted just as the token expired (a tab woken from the background)
  // goes on to the action, which re-reads the session row in the database before it does
  // anything. A 401 here would surface as an unexplained error in the form.
  if (hasSession && isServerAction(request)) return passThrough(request, security);
  if (!isPageNavigation(request)) {
    // API calls and form posts get a 401 instead of a redirect they cannot use, so the
    // client can refresh the token and retry.
    return NextResponse.json(errorBody(hasSession ? "token_missing" : "signed_out"), {
      status: 401,
      headers: { "Cache-Control": "no-store" },
    });
  }

  const query = new URLSearchParams({ return_to: returnPathOf(request) });
  const target = hasSession ? "/auth/handshake" : "/sign-in";
  // Middleware must return an absolute Location; Next.js turns a same-origin one back into
  // a relative path before it reaches the browser, so the 127.0.0.1-to-localhost rewrite of
  // NextURL never shows.
  const redirect = NextResponse.redirect(new URL(`${target}?${query}`, request.nextUrl.origin));
  redirect.headers.set("Cache-Control", "no-store");
  return redirect;
}

function planSecurity(request: NextRequest): ResponseSecurity {
  return planResponseSecurity({
    pathname: request.nextUrl.pathname,
    method: request.method,
    https: isHttpsRequest(request.nextUrl, request.headers, getTrustedProxyHops()),
    development: process.env.NODE_ENV === "development",
    hasAuthCookie:
      readSessionSecret(request.cookies) !== undefined ||
      readSessionToken(request.cookies) !== undefined,
  });
}

// Hands the request on to Next.js with the policy in its headers, where the renderer finds
// the nonce for the page's scripts.
function passThrough(request: NextRequest, security: ResponseSecurity): NextResponse {
  return NextResponse.next({
    request: { headers: withContentSecurityPolicy(request.headers, security) },
  });
}

function isPagePost(request: NextRequest): boolean {
  return request.method === "POST" && !request.nextUrl.pathname.startsWith("/api/");
}

// Server actions post to page paths. An /api/ route handler never receives one, so the
// header cannot be used to slip past this check there.
function isServerAction(request: NextRequest): boolean {
  return (
    request.method === "POST" &&
    request.headers.has("next-action") &&
    !request.nextUrl.pathname.startsWith("/api/")
  );
}

function isPageNavigation(request: NextRequest): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  return !request.nextUrl.pathname.startsWith("/api/");
}

function returnPathOf(request: NextRequest): string {
  const url = request.nextUrl.clone();
  // Client-side navigations fetch the React Server Components payload with a cache-busting
  // `_rsc` parameter; the user should come back to the page itself.
  url.searchParams.delete("_rsc");
  return safeReturnPath(url.pathname + url.search);
}

export const config = {
  // No `runtime` here: middleware runs on the Edge runtime by default, and Next.js 16.5
  // rejects `runtime: "edge"` in this file.
  // Static files, the app icon and image optimization never need a token, and next.config.mjs
  // gives them the fixed security headers. Through middleware, a signed-out visitor's request
  // for the icon would be redirected to the sign-in page.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)"],
};
