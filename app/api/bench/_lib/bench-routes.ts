import "server-only";

import { NextResponse } from "next/server";

import { errorBody } from "@/lib/errors";
import type { OrganizationRole } from "@/lib/auth/token-verify";

// The routes under /api/bench exist only for `npm run bench`, which compares Tessera's
// token check with per-request session lookups. They respond 404 unless the server was
// started with TESSERA_BENCH_ROUTES=1, so a normal deployment exposes none of them, and no
// page links to them. The two lookup routes still authenticate their caller, in the way they
// benchmark. The edge check needs no session, but it generates an RSA key pair per request.

const NO_STORE = { "Cache-Control": "no-store" };

/** Returns whether this process was started with the benchmark routes turned on. */
export function benchRoutesEnabled(): boolean {
  return process.env.TESSERA_BENCH_ROUTES === "1";
}

/** Builds the response of a benchmark route that is turned off: a plain 404. */
export function benchRouteNotFound(): NextResponse {
  return new NextResponse(null, { status: 404, headers: NO_STORE });
}

/** The session fields a lookup returns, as the token would carry them. */
export interface LookedUpSession {
  userId: string;
  sessionId: string;
  organizationId: string | null;
  role: OrganizationRole | null;
}

/** Body of a successful lookup: the same fields as the stateless access check's body. */
export interface BenchAccessResponse {
  allowed: true;
  required: OrganizationRole;
  organizationId: string | null;
  role: OrganizationRole | null;
  sessionId: string;
}

/**
 * Builds the response to a member access check decided from a looked-up session, with the
 * statuses of the stateless check: 401 without a live session, 403 without membership.
 */
export function respondToMemberCheck(session: LookedUpSession | null): NextResponse {
  if (!session) {
    return NextResponse.json(errorBody("signed_out"), { status: 401, headers: NO_STORE });
  }
  if (!session.organizationId || !session.role) {
    return NextResponse.json(errorBody("no_organization"), { status: 403, headers: NO_STORE });
  }
  const body: BenchAccessResponse = {
    allowed: true,
    required: "member",
    organizationId: session.organizationId,
    role: session.role,
    sessionId: session.sessionId,
  };
  return NextResponse.json(body, { headers: NO_STORE });
}
