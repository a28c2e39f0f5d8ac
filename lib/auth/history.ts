import "server-only";

import { and, desc, eq, gte, inArray, isNotNull, sql } from "drizzle-orm";

import type { Database } from "../db/client";
import { sessions, type SessionEndReason, type SessionStatus } from "../db/schema";
import type { DeviceType } from "../device/user-agent";

/** How far back the devices page lists sessions that ended. */
export const SIGN_OUT_HISTORY_DAYS = 30;
/** Maximum number of ended sessions the devices page lists. */
export const SIGN_OUT_HISTORY_LIMIT = 20;

const ENDED_STATUSES: SessionStatus[] = ["ended", "revoked", "expired"];

/** A session that is over, as its owner sees it: no secret hash, no raw user agent. */
export interface EndedSession {
  id: string;
  browser: string | null;
  os: string | null;
  deviceType: DeviceType;
  ip: string | null;
  location: string | null;
  createdAt: Date;
  endedAt: Date;
  endReason: SessionEndReason;
}

export interface SignOutHistoryOptions {
  days?: number;
  limit?: number;
}

/**
 * Lists the user's sessions that ended (signed out, revoked or expired) within the last
 * `days` days by the database clock, most recently ended first.
 */
export async function listRecentSignOuts(
  db: Database,
  userId: string,
  options: SignOutHistoryOptions = {},
): Promise<EndedSession[]> {
  const days = options.days ?? SIGN_OUT_HISTORY_DAYS;
  const limit = options.limit ?? SIGN_OUT_HISTORY_LIMIT;
  const rows = await db
    .select({
      id: sessions.id,
      browser: sessions.browser,
      os: sessions.os,
      deviceType: sessions.deviceType,
      ip: sessions.ip,
      location: sessions.location,
      createdAt: sessions.createdAt,
      endedAt: sessions.endedAt,
      endReason: sessions.endReason,
    })
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        inArray(sessions.status, ENDED_STATUSES),
        isNotNull(sessions.endReason),
        gte(sessions.endedAt, sql`now() - make_interval(days => ${days}::integer)`),
      ),
    )
    .orderBy(desc(sessions.endedAt), desc(sessions.id))
    .limit(limit);

  // The where clause and the table's check constraint rule out nulls here, so the filter only
  // narrows the types.
  return rows.flatMap(({ endedAt, endReason, ...row }) =>
    endedAt && endReason ? [{ ...row, endedAt, endReason }] : [],
  );
}
