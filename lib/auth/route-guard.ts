import "server-only";

import { NextResponse, type NextRequest } from "next/server";

import { errorBody } from "../errors";
import { readSessionToken } from "./cookies";
import { hasRole } from "./roles";
import { verifySessionToken, type OrganizationRole, type SessionClaims } from "./token-verify";

export type RouteAuthorization =
  { ok: true; claims: SessionClaims } | { ok: false; response: NextResponse };

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * Verifies a route handler's token itself (middleware may not have run) and, when
 * `required` is set, its role: 401 without a valid token, 403 with the wrong role.
 * Stateless, for reads; mutations re-read the database.
 */
export async function authorizeRequest(
  request: NextRequest,
  required?: OrganizationRole,
): Promise<RouteAuthorization> {
  const verification = await verifySessionToken(readSessionToken(request.cookies));
  if (!verification.ok) {
    return {
      ok: false,
      response: NextResponse.json(errorBody("token_missing"), { status: 401, headers: NO_STORE }),
    };
  }
  const claims = verification.claims;
  if (required && !hasRole(claims, required)) {
    const code = claims.org_id ? "role_required" : "no_organization";
    return {
      ok: false,
      response: NextResponse.json(errorBody(code), { status: 403, headers: NO_STORE }),
    };
  }
  return { ok: true, claims };
}
