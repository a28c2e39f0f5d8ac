import { NextResponse, type NextRequest } from "next/server";

import {
  clearAuthCookies,
  hasHandshakeGuard,
  readSessionSecret,
  readSessionToken,
  setHandshakeGuard,
  setTokenCookie,
} from "@/lib/auth/cookies";
import { refreshToken } from "@/lib/auth/refresh";
import { readRequestContext } from "@/lib/device/request-context";
import { getEnv } from "@/lib/env";
import { safeReturnPath } from "@/lib/auth/return-path";
import { verifySessionToken } from "@/lib/auth/token-verify";
import { redirectToPath } from "@/lib/http";
import { log } from "@/lib/log";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Query parameter that marks the automatic reload of the "Reconnecting" page. */
const RETRY_PARAMETER = "retry";

/**
 * Page navigations with an expired token land here from middleware: mint a new token from
 * the session cookie and go back to the page. A GET, because it follows a redirect; it is
 * safe to trigger cross-site since it changes nothing an attacker can observe or use.
 */
export async function GET(request: NextRequest): Promise<NextResponse> {
  const returnPath = safeReturnPath(request.nextUrl.searchParams.get("return_to"));
  const secret = readSessionSecret(request.cookies);
  if (!secret) return redirectToSignIn(returnPath);

  // Another tab, or an earlier request of this one, may have refreshed already: several
  // tabs restored at once all pass through here. A valid token needs nothing more.
  if ((await verifySessionToken(readSessionToken(request.cookies))).ok) {
    return redirectToPath(returnPath);
  }

  // A guard still present means the token minted moments ago was refused again (for
  // example a verifier with other keys than the signer): stop instead of looping.
  if (hasHandshakeGuard(request.cookies)) {
    log.error(
      { returnPath },
      "handshake repeated within its guard window; signing the browser out",
    );
    return redirectToSignIn(returnPath, "handshake_failed");
  }

  const refreshed = await refreshToken(secret, {
    // The reconnecting page reloads itself, and a reload the user did not request is not
    // activity.
    userActivity: isUserNavigation(request) && !request.nextUrl.searchParams.has(RETRY_PARAMETER),
    context: readRequestContext(request.headers, getEnv().trustedProxyHops),
  });
  if (!refreshed.ok) {
    if (refreshed.reason === "database_unavailable") {
      return reconnectingPage(returnPath, refreshed.retryAfterSeconds);
    }
    const reason = refreshed.reason === "not_active" ? "session_ended" : refreshed.reason;
    return redirectToSignIn(returnPath, reason);
  }

  const response = redirectToPath(returnPath);
  setTokenCookie(response.cookies, refreshed.token, refreshed.expiresInSeconds);
  setHandshakeGuard(response.cookies);
  return response;
}

function redirectToSignIn(returnPath: string, reason?: string): NextResponse {
  const query = new URLSearchParams({ return_to: returnPath });
  if (reason) query.set("reason", reason);
  const response = redirectToPath(`/sign-in?${query}`);
  clearAuthCookies(response.cookies);
  return response;
}

/**
 * Returns a 503 page that reloads this handshake after `retryAfterSeconds`. The cookies
 * stay, because an outage does not mean the session ended, and signing the user out would
 * lose their place for an outage they cannot fix.
 */
function reconnectingPage(returnPath: string, retryAfterSeconds: number): NextResponse {
  const manualRetry = escapeHtml(
    `/auth/handshake?${new URLSearchParams({ return_to: returnPath })}`,
  );
  const automaticRetry = escapeHtml(
    `/auth/handshake?${new URLSearchParams({ return_to: returnPath, [RETRY_PARAMETER]: "1" })}`,
  );
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${retryAfterSeconds}; url=${automaticRetry}">
<title>Reconnecting… · Tessera</title>
</head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
<main role="status">
<h1>Reconnecting…</h1>
<p>Tessera cannot reach its database right now. You are still signed in. This page tries again every ${retryAfterSeconds} seconds and then takes you back to where you were.</p>
<p><a href="${manualRetry}">Try again now</a></p>
</main>
</body>
</html>
`;
  return new NextResponse(html, {
    status: 503,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Retry-After": String(retryAfterSeconds),
    },
  });
}

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

// A navigation the user started on this site or typed in counts as activity; one that
// another site triggered does not. Browsers compute Sec-Fetch-Site over the whole redirect
// chain, so the hop through middleware keeps the original initiator.
function isUserNavigation(request: NextRequest): boolean {
  const site = request.headers.get("sec-fetch-site");
  return site === "same-origin" || site === "none";
}
