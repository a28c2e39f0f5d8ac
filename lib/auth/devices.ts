import "server-only";

import { and, asc, desc, eq } from "drizzle-orm";
import { z } from "zod";

import type { Database } from "../db/client";
import { sessions } from "../db/schema";
import type { RequestContext } from "../device/request-context";
import { describeDevice, type DeviceInfo, type DeviceType } from "../device/user-agent";
import { recordSecurityEvent } from "../security-events";
import { visibleName } from "./forms";

/**
 * Maximum length of a session name in user-perceived characters, so that an emoji or an
 * accented letter counts as one whatever code points it is made of.
 */
export const MAX_SESSION_NAME_LENGTH = 60;

/** Maximum length of a session name in UTF-16 code units, which bounds what one name stores. */
export const MAX_SESSION_NAME_CODE_UNITS = 240;

/** One active session inside a device group, as its owner sees it. */
export interface GroupedSession {
  id: string;
  /** The name the owner gave this session, such as "Work laptop", or null. */
  name: string | null;
  createdAt: Date;
  lastActiveAt: Date;
  /** The sign-in came from a device key the user had never signed in from. */
  newDevice: boolean;
  /** The sign-in came from a country the user had never signed in from. */
  newCountry: boolean;
  location: string | null;
  ip: string | null;
}

/** Active sessions that look like one browser on one device. */
export interface DeviceGroup {
  /** The id of the group's earliest session, stable while that session stays active. */
  id: string;
  browser: string | null;
  os: string | null;
  deviceType: DeviceType;
  /**
   * The raw User-Agent header of the most recent session, for a person who wants to see what
   * an "Unknown browser" sent. It is the owner's own data and never leaves their devices page.
   */
  userAgent: string;
  /** The name the group's named sessions share, or null when none or different ones are named. */
  name: string | null;
  /** Most recent last-active time of the group's sessions. */
  lastActiveAt: Date;
  /** Earliest sign-in of the group's sessions. */
  firstSignedInAt: Date;
  /** Location and IP of the most recently active session. */
  location: string | null;
  ip: string | null;
  /** Any session of the group is a sign-in from a new device. */
  newDevice: boolean;
  /** Any session of the group is a sign-in from a new country. */
  newCountry: boolean;
  /** The group's sessions, most recently active first. */
  sessions: GroupedSession[];
}

/**
 * Lists the user's active sessions grouped into devices, most recently active group first.
 * The caller expires sessions past their limits first, as for `listActiveSessions`.
 */
export async function listDevices(db: Database, userId: string): Promise<DeviceGroup[]> {
  const rows = await db
    .select({
      id: sessions.id,
      name: sessions.name,
      createdAt: sessions.createdAt,
      lastActiveAt: sessions.lastActiveAt,
      newDevice: sessions.newDevice,
      newCountry: sessions.newCountry,
      location: sessions.location,
      ip: sessions.ip,
      browser: sessions.browser,
      os: sessions.os,
      deviceType: sessions.deviceType,
      deviceKey: sessions.deviceKey,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), eq(sessions.status, "active")))
    .orderBy(desc(sessions.lastActiveAt), desc(sessions.createdAt), asc(sessions.id));

  // Sessions with the same User-Agent string, device key and sign-in IP count as one browser on
  // one device: a browser that signed in again after its cookies were cleared, a private window
  // or a second profile. This is a guess, because such sign-ins share no cookie that proves it.
  // Two identical machines behind one NAT with the same browser version fall into one group, and
  // one browser splits into two groups once an update changes its User-Agent or it signs in from
  // another network. A session without an IP stays alone, because nothing ties it to the others.
  const groups = new Map<string, (typeof rows)[number][]>();
  for (const row of rows) {
    const key =
      row.ip === null
        ? `session:${row.id}`
        : JSON.stringify([row.userAgent, row.deviceKey, row.ip]);
    const members = groups.get(key);
    if (members) members.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()].map(toDeviceGroup);
}

function toDeviceGroup(
  rows: (GroupedSession & Pick<DeviceGroup, "browser" | "os" | "deviceType" | "userAgent">)[],
): DeviceGroup {
  const [latest, ...others] = rows;
  if (!latest) throw new Error("A device group needs at least one session.");
  const earliest = others.reduce(
    (first, row) => (row.createdAt < first.createdAt ? row : first),
    latest,
  );
  const names = [...new Set(rows.flatMap((row) => (row.name === null ? [] : [row.name])))];
  return {
    id: earliest.id,
    browser: latest.browser,
    os: latest.os,
    deviceType: latest.deviceType,
    userAgent: latest.userAgent,
    name: names.length === 1 ? (names[0] ?? null) : null,
    lastActiveAt: latest.lastActiveAt,
    firstSignedInAt: earliest.createdAt,
    location: latest.location,
    ip: latest.ip,
    newDevice: rows.some((row) => row.newDevice),
    newCountry: rows.some((row) => row.newCountry),
    sessions: rows.map((row) => ({
      id: row.id,
      name: row.name,
      createdAt: row.createdAt,
      lastActiveAt: row.lastActiveAt,
      newDevice: row.newDevice,
      newCountry: row.newCountry,
      location: row.location,
      ip: row.ip,
    })),
  };
}

/** Formats "Work laptop (Chrome on macOS)" for a named session, or the device label alone. */
export function describeNamedDevice(
  device: Pick<DeviceInfo, "browser" | "os"> & { name: string | null },
): string {
  const label = describeDevice(device);
  return device.name ? `${device.name} (${label})` : label;
}

const sessionNameSchema = visibleName(
  "a name",
  MAX_SESSION_NAME_LENGTH,
  MAX_SESSION_NAME_CODE_UNITS,
);

export interface RenameSessionInput {
  userId: string;
  sessionId: string;
  /** The session that sent the request, which may differ from the renamed one. */
  requestSessionId: string;
  /** The new name as submitted; empty or only spaces removes the name. */
  name: string;
  /** The request that asked for the change, recorded in the security event. */
  context: RequestContext;
}

export type RenameSessionResult =
  | { ok: true; name: string | null; changed: boolean }
  | { ok: false; error: "invalid_name"; message: string }
  | { ok: false; error: "session_not_found" };

/**
 * Sets or removes the name of one of the user's active sessions and records a
 * "session_renamed" security event. Returns `session_not_found` for an unknown id, another
 * user's session and an ended one alike, so the caller learns nothing about sessions it does
 * not own. A name equal to the current one changes nothing and records no event.
 */
export async function renameSession(
  db: Database,
  input: RenameSessionInput,
): Promise<RenameSessionResult> {
  // Postgres raises an error on a malformed uuid, so one returns the result of an unknown id.
  if (!z.uuid().safeParse(input.sessionId).success) {
    return { ok: false, error: "session_not_found" };
  }
  // Only spaces count as empty, as the form's hint promises, so they remove the name too.
  const trimmed = input.name.trim();
  let name: string | null = null;
  if (trimmed !== "") {
    const parsed = sessionNameSchema.safeParse(trimmed);
    if (!parsed.success) {
      const message = parsed.error.issues[0]?.message ?? "Enter a valid name.";
      return { ok: false, error: "invalid_name", message };
    }
    name = parsed.data;
  }

  return db.transaction(async (tx) => {
    const ownActive = and(
      eq(sessions.id, input.sessionId),
      eq(sessions.userId, input.userId),
      eq(sessions.status, "active"),
    );
    const [current] = await tx
      .select({ name: sessions.name })
      .from(sessions)
      .where(ownActive)
      .for("update");
    if (!current) return { ok: false, error: "session_not_found" } as const;
    if (current.name === name) return { ok: true, name, changed: false } as const;

    await tx.update(sessions).set({ name }).where(ownActive);
    await recordSecurityEvent(tx, {
      type: "session_renamed",
      userId: input.userId,
      sessionId: input.sessionId,
      context: input.context,
      // An empty string records that the name was removed. `renamedBy` lets the activity list
      // show the device that made the change instead of the renamed one.
      detail: { name: name ?? "", renamedBy: input.requestSessionId },
    });
    return { ok: true, name, changed: true } as const;
  });
}
