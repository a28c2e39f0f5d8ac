import "server-only";

import { and, desc, eq, sql, type SQLWrapper } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";

import { describeNamedDevice } from "./auth/devices";
import type { Database } from "./db/client";
import { organizations, securityEvents, sessions, type SecurityEventType } from "./db/schema";
import { UNKNOWN_LOCATION } from "./device/location";
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
   * Device, IP and location of the request behind the event. All null when another user (an
   * organization admin) made the request, because that is the admin's data, not the user's.
   */
  device: DeviceInfo | null;
  ip: string | null;
  /**
   * Location of the requesting session's sign-in, such as "Berlin, Germany". Null when it is
   * unknown, when no session of the user sent the request, or when the request came from
   * another IP than that sign-in, because the location describes that IP only.
   */
  location: string | null;
  /** A sign-in from a device key the user had never signed in from; false for other events. */
  newDevice: boolean;
  /** A sign-in from a country the user had never signed in from; false for other events. */
  newCountry: boolean;
  createdAt: Date;
}

// Only strings of this form are cast to uuid for a lookup, so a malformed detail value drops
// the name or device instead of failing the whole query.
const UUID_PATTERN =
  "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

// Events whose session id names the session acted on, not the one that sent the request,
// mapped to the detail key that contains the requesting session's id. Null means no session
// sent it, because a "This wasn't me" link works in any browser. Every other event with a
// session id was requested by that session (its sign-in, sign-out, refresh or a form it
// submitted), so a new event type that acts on another session must be added here.
const REQUESTER_DETAIL_KEYS: Partial<Record<SecurityEventType, string | null>> = {
  session_revoked: "revokedBy",
  session_renamed: "renamedBy",
  session_reported: null,
};

function uuidOrNull(value: SQLWrapper) {
  return sql`case when ${value} ~ ${UUID_PATTERN} then (${value})::uuid end`;
}

/**
 * Lists the user's most recent security events, newest first. Events without a user id
 * (failed sign-ins with an unknown email) never appear. The query reads only the detail keys
 * that the sentence needs, so admin ids stay in the database.
 *
 * The device of an event comes from the stored labels of the session that sent the request,
 * which the sign-in corrected with client hints and the touch-point count, so the list and the
 * device rows name one sign-in alike. Only events that no session of the user sent, such as a
 * failed sign-in, fall back to parsing the stored User-Agent header.
 */
export async function listSecurityActivity(
  db: Database,
  userId: string,
  limit = SECURITY_ACTIVITY_LIMIT,
): Promise<SecurityActivity[]> {
  const detail = (key: string) => sql<string | null>`${securityEvents.detail} ->> ${key}`;
  // Columns of the subquery below carry a "detail_" prefix because the outer query joins
  // sessions, which has columns such as new_device, and Postgres rejects ambiguous names.
  const requesterCases = Object.entries(REQUESTER_DETAIL_KEYS).map(([type, key]) =>
    key === null ? sql`when ${type} then null` : sql`when ${type} then ${detail(key)}`,
  );
  const recent = db
    .select({
      id: securityEvents.id,
      type: securityEvents.type,
      sessionId: securityEvents.sessionId,
      requesterSessionId: sql<string | null>`case ${securityEvents.type}
        ${sql.join(requesterCases, sql` `)}
        else ${securityEvents.sessionId}::text
      end`.as("requester_session_id"),
      ip: securityEvents.ip,
      userAgent: securityEvents.userAgent,
      createdAt: securityEvents.createdAt,
      organizationId: detail("organizationId").as("detail_organization_id"),
      fromRole: detail("from").as("detail_from_role"),
      toRole: detail("to").as("detail_to_role"),
      expiryReason: detail("reason").as("detail_expiry_reason"),
      failedStep: detail("step").as("detail_failed_step"),
      sessionName: detail("name").as("detail_session_name"),
      newDevice: detail("newDevice").as("detail_new_device"),
      newCountry: detail("newCountry").as("detail_new_country"),
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

  // Both joins accept only the user's own sessions, so a forged id in a detail value never
  // shows another user's device.
  const requester = alias(sessions, "requester");
  const subject = alias(sessions, "subject");
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
      requesterId: requester.id,
      requesterBrowser: requester.browser,
      requesterOs: requester.os,
      requesterDeviceType: requester.deviceType,
      requesterLocation: sql<
        string | null
      >`case when ${requester.ip} = ${recent.ip} then ${requester.location} end`,
      subjectId: subject.id,
      subjectName: subject.name,
      subjectBrowser: subject.browser,
      subjectOs: subject.os,
    })
    .from(recent)
    .leftJoin(organizations, sql`${organizations.id} = ${uuidOrNull(recent.organizationId)}`)
    .leftJoin(
      requester,
      and(
        sql`${requester.id} = ${uuidOrNull(recent.requesterSessionId)}`,
        eq(requester.userId, userId),
      ),
    )
    .leftJoin(subject, and(eq(subject.id, recent.sessionId), eq(subject.userId, userId)))
    .orderBy(desc(recent.createdAt), desc(recent.id));

  return rows.map((row) => {
    const ownRequest = !row.byAnotherUser;
    const signIn = row.type === "sign_in";
    const sessionLabel =
      row.subjectId === null
        ? null
        : describeNamedDevice({
            name: row.subjectName,
            browser: row.subjectBrowser,
            os: row.subjectOs,
          });
    return {
      id: row.id,
      type: row.type,
      description: describeSecurityEvent({ ...row, sessionLabel }),
      device: ownRequest ? requestDevice(row) : null,
      ip: ownRequest ? row.ip : null,
      location: ownRequest ? knownLocation(row.requesterLocation) : null,
      newDevice: signIn && row.newDevice === "true",
      newCountry: signIn && row.newCountry === "true",
      createdAt: row.createdAt,
    };
  });
}

function knownLocation(location: string | null): string | null {
  return location === UNKNOWN_LOCATION ? null : location;
}

function requestDevice(row: {
  requesterId: string | null;
  requesterBrowser: string | null;
  requesterOs: string | null;
  requesterDeviceType: DeviceInfo["deviceType"] | null;
  userAgent: string | null;
}): DeviceInfo {
  if (row.requesterId === null || row.requesterDeviceType === null) {
    return parseUserAgent(row.userAgent ?? "");
  }
  return {
    browser: row.requesterBrowser,
    os: row.requesterOs,
    deviceType: row.requesterDeviceType,
  };
}
