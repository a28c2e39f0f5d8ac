import { NextResponse, type NextRequest } from "next/server";

import { clearAuthCookies, readSessionSecret, setTokenCookie } from "@/lib/auth/cookies";
import { isSameOriginRequest } from "@/lib/auth/origin";
import { refreshToken, type TokenRefresh } from "@/lib/auth/refresh";
import { readRequestContext } from "@/lib/device/request-context";
import { getEnv } from "@/lib/env";
import type { OrganizationRole } from "@/lib/auth/token-verify";
import { errorBody, type ErrorCode } from "@/lib/errors";
import { log } from "@/lib/log";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const NO_STORE = { "Cache-Control": "no-store" };

type EndedReason = Exclude<TokenRefresh, { ok: true }>["reason"];

const ENDED_CODES: Record<Exclude<EndedReason, "database_unavailable">, ErrorCode> = {
  not_active: "session_ended",
  idle_timeout: "session_idle_timeout",
  absolute_timeout: "session_absolute_timeout",
};

export interface RefreshResponse {
  /** Seconds until the new token expires. The client schedules its next refresh from this. */
  expiresIn: number;
  /** Seconds until the idle limit ends the session unless the user interacts; for a warning. */
  idleExpiresIn: number;
  /** Seconds until the absolute limit ends the session; no refresh extends it. */
  absoluteExpiresIn: number;
  sessionId: string;
  /** The organization and role the new token carries, for display; null without one. */
  organizationId: string | null;
  role: OrganizationRole | null;
}

/**
 * Mints a new token cookie from the session cookie. The body may be empty or
 * `{"activity": true}` when the user interacted with the page since the last refresh.
 * Returns 503 `database_unavailable` with `Retry-After` while the database is unreachable.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  if (!isSameOriginRequest(request.headers)) {
    log.warn({ path: request.nextUrl.pathname }, "cross-site refresh rejected");
    return fail("cross_site_request", 403);
  }

  const activity = await readActivityFlag(request);
  if (activity === undefined) return fail("invalid_request_body", 400);

  const secret = readSessionSecret(request.cookies);
  if (!secret) return signedOut("signed_out");

  // NOTE: every call is one UPDATE of the session row, even when only the token changes. The
  // client loop calls this about once per 45 s per browser (one tab refreshes for all), which
  // bounds the writes, but a client that calls it in a loop with its own cookie is not limited.
  const refreshed = await refreshToken(secret, {
    userActivity: activity,
    context: readRequestContext(request.headers, getEnv().trustedProxyHops),
  });
  if (!refreshed.ok) {
    if (refreshed.reason === "database_unavailable") {
      return unavailable(refreshed.retryAfterSeconds);
    }
    return signedOut(ENDED_CODES[refreshed.reason]);
  }

  const body: RefreshResponse = {
    expiresIn: refreshed.expiresInSeconds,
    idleExpiresIn: refreshed.idleExpiresIn,
    absoluteExpiresIn: refreshed.absoluteExpiresIn,
    sessionId: refreshed.sessionId,
    organizationId: refreshed.organizationId,
    role: refreshed.role,
  };
  const response = NextResponse.json(body, { headers: NO_STORE });
  setTokenCookie(response.cookies, refreshed.token, refreshed.expiresInSeconds);
  return response;
}

/** Returns the `activity` flag, false for an empty body, or undefined for a malformed one. */
async function readActivityFlag(request: NextRequest): Promise<boolean | undefined> {
  const text = await request.text();
  if (text.trim() === "") return false;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
    const activity = (parsed as { activity?: unknown }).activity;
    if (activity === undefined) return false;
    return typeof activity === "boolean" ? activity : undefined;
  } catch {
    return undefined;
  }
}

function fail(code: ErrorCode, status: number): NextResponse {
  return NextResponse.json(errorBody(code), { status, headers: NO_STORE });
}

/**
 * Builds the 503 response to a refresh the database could not serve. The cookies stay,
 * because the session may well be live: the client keeps its current token until it expires
 * and retries after the delay.
 */
function unavailable(retryAfterSeconds: number): NextResponse {
  return NextResponse.json(errorBody("database_unavailable"), {
    status: 503,
    headers: { ...NO_STORE, "Retry-After": String(retryAfterSeconds) },
  });
}

function signedOut(code: ErrorCode): NextResponse {
  const response = fail(code, 401);
  clearAuthCookies(response.cookies);
  return response;
}
