import "server-only";

import { and, eq } from "drizzle-orm";

import type { OrganizationLimits } from "../auth/session-policy";
import type { Database } from "../db/client";
import { memberships, organizations } from "../db/schema";
import type { RequestContext } from "../device/request-context";
import { recordSecurityEvent } from "../security-events";

export async function findOrganizationLimits(
  db: Database,
  organizationId: string,
): Promise<OrganizationLimits | null> {
  const [row] = await db
    .select({
      absoluteTimeoutSeconds: organizations.sessionAbsoluteTimeoutSeconds,
      idleTimeoutSeconds: organizations.sessionIdleTimeoutSeconds,
    })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .limit(1);
  return row ?? null;
}

/**
 * Sets the organization's own session limits (null removes one). They apply from each
 * session's next refresh, to sessions whose active organization this is. Returns false,
 * changing nothing, when the actor is not an admin of the organization.
 */
export async function setOrganizationLimits(
  db: Database,
  change: {
    organizationId: string;
    actorUserId: string;
    limits: OrganizationLimits;
    context: RequestContext;
  },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [actor] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(
        and(
          eq(memberships.userId, change.actorUserId),
          eq(memberships.organizationId, change.organizationId),
        ),
      )
      .for("share");
    if (actor?.role !== "admin") return false;

    await tx
      .update(organizations)
      .set({
        sessionAbsoluteTimeoutSeconds: change.limits.absoluteTimeoutSeconds,
        sessionIdleTimeoutSeconds: change.limits.idleTimeoutSeconds,
      })
      .where(eq(organizations.id, change.organizationId));
    await recordSecurityEvent(tx, {
      type: "organization_policy_changed",
      userId: change.actorUserId,
      context: change.context,
      detail: {
        organizationId: change.organizationId,
        absoluteTimeoutSeconds: String(change.limits.absoluteTimeoutSeconds ?? "none"),
        idleTimeoutSeconds: String(change.limits.idleTimeoutSeconds ?? "none"),
      },
    });
    return true;
  });
}
