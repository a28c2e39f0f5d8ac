import "server-only";

import { NextResponse, type NextRequest } from "next/server";

import type { OrganizationRole } from "./token-verify";
import { authorizeRequest } from "./route-guard";

/** Body of an access-check response: the claims the decision was made on, no secrets. */
export interface AccessCheckResponse {
  allowed: true;
  required: OrganizationRole;
  organizationId: string | null;
  role: OrganizationRole | null;
  sessionId: string;
}

/**
 * Handles a stateless access check: allowed when the token's role grants `required`. The
 * access timeline calls these to show when a role change reaches a session.
 */
export async function handleAccessCheck(
  request: NextRequest,
  required: OrganizationRole,
): Promise<NextResponse> {
  const authorization = await authorizeRequest(request, required);
  if (!authorization.ok) return authorization.response;
  const { claims } = authorization;
  const body: AccessCheckResponse = {
    allowed: true,
    required,
    organizationId: claims.org_id ?? null,
    role: claims.org_role ?? null,
    sessionId: claims.sid,
  };
  return NextResponse.json(body, { headers: { "Cache-Control": "no-store" } });
}
