import "server-only";

import { desc, eq, sql } from "drizzle-orm";

import type { Database } from "./db/client";
import { organizations, securityEvents, type SecurityEventType } from "./db/schema";
import { parseUserAgent, type DeviceInfo } from "./device/user-agent";
import { describeSecurityEvent } from "./security-event-text";

/** Maximum number of security events the devices page lists. */
export const SECURITY_ACTIVITY_LIMIT = 25;

/** One security event as its user sees it. */
export interface SecurityActivity {
  id: string;
  type: SecurityEventType;
  description: string;
  /**
   * Device and IP of the request behind the event. Both null when another user (an
   * organization admin) made the request, because that is the admin's data, not the user's.
   */
  device: DeviceInfo | null;
  ip: string | null;
  /** A sign-in from a device key the user had never signed in from; false for other events. */
  newDevice: boolean;
  /** A sign-in from a country the user had never signed in from; false for other events. */
  newCountry: boolean;
  createdAt: Date;
}

// Only strings of this form are cast to uuid for the organization lookup, so a malformed
// detail value drops the name instead of failing the whole query.
const UUID_PATTERN =
  "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/**
 * Lists the user's most recent security events, newest first. Events without a user id
 * (failed sign-ins with an unknown email) never appear. The query reads only the detail keys
 * that the sentence needs, so admin ids stay in the database.
 */
export async function listSecurityActivity(
  db: Database,
  userId: string,
  limit = SECURITY_ACTIVITY_LIMIT,
): Promise<SecurityActivity[]> {
  const detail = (key: string) => sql<string | null>`${securityEvents.detail} ->> ${key}`;
  const recent = db
    .select({
      id: securityEvents.id,
      type: securityEvents.type,
      ip: securityEvents.ip,
      userAgent: securityEvents.userAgent,
      createdAt: securityEvents.createdAt,
      organizationId: detail("organizationId").as("organization_id"),
      fromRole: detail("from").as("from_role"),
      toRole: detail("to").as("to_role"),
      expiryReason: detail("reason").as("expiry_reason"),
      failedStep: detail("step").as("failed_step"),
      sessionName: detail("name").as("session_name"),
      newDevice: detail("newDevice").as("new_device"),
      newCountry: detail("newCountry").as("new_country"),
      // Membership events are stored under the member's user id but with the request of the
      // admin who made the change, whose id is in one of these keys.
      byAnotherUser: sql<boolean>`coalesce(
        coalesce(${detail("changedBy")}, ${detail("addedBy")}, ${detail("removedBy")}) <> ${userId},
        false
      )`.as("by_another_user"),
    })
    .from(securityEvents)
    .where(eq(securityEvents.userId, userId))
    .orderBy(desc(securityEvents.createdAt), desc(securityEvents.id))
    .limit(limit)
    .as("recent");

  const rows = await db
    .select({
      id: recent.id,
      type: recent.type,
      ip: recent.ip,
      userAgent: recent.userAgent,
      createdAt: recent.createdAt,
      fromRole: recent.fromRole,
      toRole: recent.toRole,
      expiryReason: recent.expiryReason,
      failedStep: recent.failedStep,
      sessionName: recent.sessionName,
      newDevice: recent.newDevice,
      newCountry: recent.newCountry,
      byAnotherUser: recent.byAnotherUser,
      organizationName: organizations.name,
    })
    .from(recent)
    .leftJoin(
      organizations,
      sql`${organizations.id} = case when ${recent.organizationId} ~ ${UUID_PATTERN} then ${recent.organizationId}::uuid end`,
    )
    .orderBy(desc(recent.createdAt), desc(recent.id));

  return rows.map((row) => {
    const ownRequest = !row.byAnotherUser;
    const signIn = row.type === "sign_in";
    return {
      id: row.id,
      type: row.type,
      description: describeSecurityEvent(row),
      device: ownRequest ? parseUserAgent(row.userAgent ?? "") : null,
      ip: ownRequest ? row.ip : null,
      newDevice: signIn && row.newDevice === "true",
      newCountry: signIn && row.newCountry === "true",
      createdAt: row.createdAt,
    };
  });
}
