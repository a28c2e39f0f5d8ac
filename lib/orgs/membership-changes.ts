import "server-only";

import { and, eq, sql } from "drizzle-orm";

import { tokenSubjectColumns } from "../auth/sessions";
import type { TokenSubject } from "../auth/token";
import type { Database } from "../db/client";
import { memberships, sessions, users, type OrganizationRole } from "../db/schema";
import type { RequestContext } from "../device/request-context";
import { recordSecurityEvent } from "../security-events";

// Every change here runs in one transaction that first locks all membership rows of the
// organization. Concurrent changes in one organization therefore run one after another, so
// two admins demoting each other cannot both pass the last-admin check, and a session row
// is updated in the same transaction as the membership it copies.

export type MembershipChangeError =
  "not_admin" | "not_member" | "last_admin" | "user_not_found" | "already_member";

export type MembershipChangeResult =
  { ok: true; updatedSessions: number } | { ok: false; error: MembershipChangeError };

interface MembershipChange {
  organizationId: string;
  /** The admin making the change; re-checked inside the transaction. */
  actorUserId: string;
  context: RequestContext;
}

type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

async function lockMemberships(tx: Transaction, organizationId: string) {
  return tx
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.organizationId, organizationId))
    .for("update");
}

type LockedMember = Awaited<ReturnType<typeof lockMemberships>>[number];

/**
 * Returns the member a role change or removal applies to, after checking that the actor is
 * an admin and that a change taking admin rights away would not leave the organization
 * without an admin.
 */
function findTarget(
  members: LockedMember[],
  change: { actorUserId: string; targetUserId: string; removesAdminRights: boolean },
): LockedMember | { error: MembershipChangeError } {
  const actor = members.find((member) => member.userId === change.actorUserId);
  if (actor?.role !== "admin") return { error: "not_admin" };
  const target = members.find((member) => member.userId === change.targetUserId);
  if (!target) return { error: "not_member" };
  const admins = members.filter((member) => member.role === "admin").length;
  const lastAdmin = target.role === "admin" && admins === 1;
  return lastAdmin && change.removesAdminRights ? { error: "last_admin" } : target;
}

/** Changes a member's role and the role carried by every active session of theirs in it. */
export async function changeMemberRole(
  db: Database,
  change: MembershipChange & { targetUserId: string; role: OrganizationRole },
): Promise<MembershipChangeResult> {
  return db.transaction(async (tx) => {
    const members = await lockMemberships(tx, change.organizationId);
    const target = findTarget(members, {
      ...change,
      removesAdminRights: change.role !== "admin",
    });
    if ("error" in target) return { ok: false, error: target.error } as const;
    if (target.role === change.role) return { ok: true, updatedSessions: 0 } as const;

    await tx
      .update(memberships)
      .set({ role: change.role })
      .where(membershipOf(change.targetUserId, change.organizationId));
    const updated = await tx
      .update(sessions)
      .set({ activeRole: change.role })
      .where(activeSessionsIn(change.targetUserId, change.organizationId))
      .returning({ id: sessions.id });

    await recordSecurityEvent(tx, {
      type: "role_changed",
      userId: change.targetUserId,
      context: change.context,
      detail: {
        organizationId: change.organizationId,
        from: target.role,
        to: change.role,
        changedBy: change.actorUserId,
      },
    });
    return { ok: true, updatedSessions: updated.length } as const;
  });
}

/**
 * Removes a member. Their active sessions in the organization keep running without an
 * organization: the next token they mint carries no `org_id`.
 */
export async function removeMember(
  db: Database,
  change: MembershipChange & { targetUserId: string },
): Promise<MembershipChangeResult> {
  return db.transaction(async (tx) => {
    const members = await lockMemberships(tx, change.organizationId);
    const target = findTarget(members, { ...change, removesAdminRights: true });
    if ("error" in target) return { ok: false, error: target.error } as const;

    await tx.delete(memberships).where(membershipOf(change.targetUserId, change.organizationId));
    const updated = await tx
      .update(sessions)
      .set({ activeOrganizationId: null, activeRole: null })
      .where(activeSessionsIn(change.targetUserId, change.organizationId))
      .returning({ id: sessions.id });

    await recordSecurityEvent(tx, {
      type: "member_removed",
      userId: change.targetUserId,
      context: change.context,
      detail: {
        organizationId: change.organizationId,
        removedBy: change.actorUserId,
        sessionsCleared: String(updated.length),
      },
    });
    return { ok: true, updatedSessions: updated.length } as const;
  });
}

/** Adds an existing user, found by email, as a member. */
export async function addMember(
  db: Database,
  change: MembershipChange & { email: string },
): Promise<MembershipChangeResult> {
  return db.transaction(async (tx) => {
    const members = await lockMemberships(tx, change.organizationId);
    const actor = members.find((member) => member.userId === change.actorUserId);
    if (actor?.role !== "admin") return { ok: false, error: "not_admin" } as const;

    const [user] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(sql`lower(${users.email})`, change.email.trim().toLowerCase()))
      .limit(1);
    if (!user) return { ok: false, error: "user_not_found" } as const;
    if (members.some((member) => member.userId === user.id)) {
      return { ok: false, error: "already_member" } as const;
    }

    await tx
      .insert(memberships)
      .values({ userId: user.id, organizationId: change.organizationId, role: "member" });
    await recordSecurityEvent(tx, {
      type: "member_added",
      userId: user.id,
      context: change.context,
      detail: { organizationId: change.organizationId, addedBy: change.actorUserId },
    });
    return { ok: true, updatedSessions: 0 } as const;
  });
}

/**
 * Makes an organization the active one of a single session, with the role from the
 * user's membership, and returns the new token subject. Returns null, changing nothing,
 * when the user is not a member or the session is not active.
 */
export async function switchOrganization(
  db: Database,
  request: { sessionId: string; userId: string; organizationId: string; context: RequestContext },
): Promise<TokenSubject | null> {
  return db.transaction(async (tx) => {
    // Locking the membership holds off a concurrent role change or removal until this
    // transaction ends, so that change then finds this session in the organization and
    // updates it too. The lock is FOR UPDATE because this transaction updates the row below,
    // and two switches holding share locks would deadlock on that update. Like every
    // membership change, it locks the membership before the session row.
    const [membership] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(membershipOf(request.userId, request.organizationId))
      .for("update");
    if (!membership) return null;

    const [subject] = await tx
      .update(sessions)
      .set({ activeOrganizationId: request.organizationId, activeRole: membership.role })
      .where(
        and(
          eq(sessions.id, request.sessionId),
          eq(sessions.userId, request.userId),
          eq(sessions.status, "active"),
        ),
      )
      .returning(tokenSubjectColumns);
    if (!subject) return null;

    await tx
      .update(memberships)
      .set({ lastUsedAt: sql`now()` })
      .where(membershipOf(request.userId, request.organizationId));
    await recordSecurityEvent(tx, {
      type: "organization_switched",
      userId: request.userId,
      sessionId: request.sessionId,
      context: request.context,
      detail: { organizationId: request.organizationId, role: membership.role },
    });
    return subject;
  });
}

function membershipOf(userId: string, organizationId: string) {
  return and(eq(memberships.userId, userId), eq(memberships.organizationId, organizationId));
}

function activeSessionsIn(userId: string, organizationId: string) {
  return and(
    eq(sessions.userId, userId),
    eq(sessions.activeOrganizationId, organizationId),
    eq(sessions.status, "active"),
  );
}
