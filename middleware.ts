// The first filter on every request. It verifies the token cookie with the public key and
// makes no database call. It runs on the Edge runtime, so it imports only edge-safe modules
// (jose and pure code), and lib/edge-bundle.test.ts walks its import graph to keep it so.
// Pages, route handlers and server actions verify again themselves.

import { NextResponse, type NextRequest } from "next/server";

import { readSessionSecret, readSessionToken } from "./lib/auth/cookies";
import { safeReturnPath } from "./lib/auth/return-path";
import { verifySessionToken } from "./lib/auth/token-verify";
import { errorBody } from "./lib/errors";

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
  const { pathname } = request.nextUrl;
  if (PUBLIC_PATHS.has(pathname)) return NextResponse.next();

  const verification = await verifySessionToken(readSessionToken(request.cookies));
  if (verification.ok) return NextResponse.next();

  const hasSession = readSessionSecret(request.cookies) !== undefined;
  // A server action posted just as the token expired (a tab woken from the background)
  // goes on to the action, which re-reads the session row in the database before it does
  // anything. A 401 here would surface as an unexplained error in the form.
  if (hasSession && isServerAction(request)) return NextResponse.next();
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
  return NextResponse.redirect(new URL(`${target}?${query}`, request.nextUrl.origin));
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
  // Static files and image optimization never need a token.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
