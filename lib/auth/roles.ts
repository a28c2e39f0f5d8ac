// Role checks on verified token claims. Edge-safe and pure: no database.

import type { OrganizationRole, SessionClaims } from "./token-verify";

/** Returns whether the token's role in its active organization grants `required`; admins are members too. */
export function hasRole(claims: SessionClaims, required: OrganizationRole): boolean {
  if (!claims.org_id || !claims.org_role) return false;
  return required === "member" || claims.org_role === "admin";
}
