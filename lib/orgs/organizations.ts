import "server-only";

import { randomBytes } from "node:crypto";

import { and, asc, count, desc, eq, sql } from "drizzle-orm";

import type { Database } from "../db/client";
import { memberships, organizations, sessions, users, type OrganizationRole } from "../db/schema";

export interface OrganizationSummary {
  id: string;
  slug: string;
  name: string;
  role: OrganizationRole;
}

/** Lower-case words joined by hyphens, plus a random suffix so names never collide. */
export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  const suffix = randomBytes(3).toString("hex");
  return base ? `${base}-${suffix}` : `org-${suffix}`;
}

/** Creates an organization with `userId` as its first admin. Call inside a transaction. */
export async function createOrganization(
  db: Database,
  userId: string,
  name: string,
): Promise<OrganizationSummary> {
  const [organization] = await db
    .insert(organizations)
    .values({ name, slug: slugify(name) })
    .returning({ id: organizations.id, slug: organizations.slug, name: organizations.name });
  if (!organization) throw new Error("Inserting the organization returned no row.");
  await db
    .insert(memberships)
    .values({ userId, organizationId: organization.id, role: "admin", lastUsedAt: sql`now()` });
  return { ...organization, role: "admin" };
}

/** Lists the user's organizations, most recently used first. */
export async function listOrganizations(
  db: Database,
  userId: string,
): Promise<OrganizationSummary[]> {
  return db
    .select({
      id: organizations.id,
      slug: organizations.slug,
      name: organizations.name,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId))
    .orderBy(sql`${memberships.lastUsedAt} desc nulls last`, asc(organizations.name));
}

/**
 * Returns the membership a new session starts in: the most recently used one. Locks it
 * against a concurrent role change or removal until the caller's transaction ends, so the
 * session row never gets a role that was already replaced.
 */
export async function findDefaultMembership(
  db: Database,
  userId: string,
): Promise<{ organizationId: string; role: OrganizationRole } | null> {
  const [membership] = await db
    .select({ organizationId: memberships.organizationId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .orderBy(sql`${memberships.lastUsedAt} desc nulls last`, desc(memberships.createdAt))
    .limit(1)
    .for("share");
  return membership ?? null;
}

export interface OrganizationMember {
  userId: string;
  email: string;
  displayName: string;
  role: OrganizationRole;
  activeSessions: number;
}

/**
 * Members of an organization, each with the number of active sessions whose active
 * organization is this one. Sessions in other organizations are not the admin's business.
 */
export async function listMembers(
  db: Database,
  organizationId: string,
): Promise<OrganizationMember[]> {
  const activeSessions = db
    .select({ userId: sessions.userId, total: count().as("total") })
    .from(sessions)
    .where(and(eq(sessions.status, "active"), eq(sessions.activeOrganizationId, organizationId)))
    .groupBy(sessions.userId)
    .as("active_sessions");
  const rows = await db
    .select({
      userId: users.id,
      email: users.email,
      displayName: users.displayName,
      role: memberships.role,
      activeSessions: activeSessions.total,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(activeSessions, eq(activeSessions.userId, memberships.userId))
    .where(eq(memberships.organizationId, organizationId))
    .orderBy(asc(memberships.role), asc(users.displayName));
  return rows.map((row) => ({ ...row, activeSessions: Number(row.activeSessions ?? 0) }));
}

export async function findOrganization(
  db: Database,
  organizationId: string,
): Promise<{ id: string; slug: string; name: string } | null> {
  const [organization] = await db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .limit(1);
  return organization ?? null;
}

/** Returns the user's role in the organization, or null when not a member. */
export async function findRole(
  db: Database,
  userId: string,
  organizationId: string,
): Promise<OrganizationRole | null> {
  const [membership] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.organizationId, organizationId)))
    .limit(1);
  return membership?.role ?? null;
}
