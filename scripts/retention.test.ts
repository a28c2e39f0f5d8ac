import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { openDatabase, type Database } from "../lib/db/client";
import { securityEvents, sessions, signInThrottles, users } from "../lib/db/schema";
import { setupTestDatabase, uniqueEmail } from "../lib/db/test-database";
import {
  clearExpiredIps,
  DEFAULT_IP_RETENTION_DAYS,
  DEFAULT_RETENTION_DAYS,
  deleteExpiredHistory,
  deleteExpiredThrottles,
  formatIpResult,
  formatResult,
  formatThrottleResult,
  parseIpRetentionDays,
  parseRetentionDays,
  type QueryRows,
} from "./retention.mjs";

const database = setupTestDatabase();

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "retention.mjs");
const DAY_MS = 24 * 60 * 60 * 1000;

function daysAgo(days: number): Date {
  return new Date(Date.now() - days * DAY_MS);
}

/** Runs one statement through Drizzle and returns its rows, whichever driver is behind it. */
function queryThrough(db: Database): QueryRows {
  return async (statement) => {
    const result: unknown = await db.execute(sql.raw(statement));
    // postgres.js resolves to an array of rows, PGlite to `{ rows }`.
    if (Array.isArray(result)) return result;
    return (result as { rows: Array<Record<string, unknown>> }).rows;
  };
}

/** Ids of the fixture rows, grouped by what retention must do with them. */
interface History {
  deletedSessions: string[];
  keptSessions: string[];
  deletedEvents: string[];
  keptEvents: string[];
  /** A recent event of a deleted session: kept, with its session id cleared. */
  orphanedEvent: string;
}

const STATUS_AFTER = {
  signed_out: "ended",
  revoked_by_user: "revoked",
  idle_timeout: "expired",
} as const;

/**
 * Inserts one user's history with ages set around the cutoff of `retentionDays`: rows a day
 * or more past it, rows a day or more short of it, and active sessions far past it.
 */
async function insertHistory(db: Database, retentionDays: number): Promise<History> {
  const pastCutoff = (days: number) => daysAgo(retentionDays + days);
  const [user] = await db
    .insert(users)
    .values({ email: uniqueEmail("retention"), displayName: "Ret", passwordHash: "unused" })
    .returning({ id: users.id });
  if (!user) throw new Error("inserting the user returned no row");

  const insertSession = async (values: Partial<typeof sessions.$inferInsert>) => {
    const [row] = await db
      .insert(sessions)
      .values({ userId: user.id, secretHash: randomUUID(), ...values })
      .returning({ id: sessions.id });
    if (!row) throw new Error("inserting a session returned no row");
    return row.id;
  };
  const ended = (reason: keyof typeof STATUS_AFTER, endedAt: Date) => ({
    status: STATUS_AFTER[reason],
    endReason: reason,
    createdAt: new Date(endedAt.getTime() - DAY_MS),
    lastActiveAt: endedAt,
    endedAt,
  });

  const signedOutLongAgo = await insertSession(ended("signed_out", pastCutoff(10)));
  const revokedJustPast = await insertSession(ended("revoked_by_user", pastCutoff(1)));
  const expiredLongAgo = await insertSession(ended("idle_timeout", pastCutoff(110)));
  const endedRecently = await insertSession(ended("signed_out", daysAgo(1)));
  const endedJustShort = await insertSession(ended("signed_out", pastCutoff(-1)));
  const activeAncient = await insertSession({
    createdAt: pastCutoff(310),
    lastActiveAt: pastCutoff(300),
  });
  const activeFresh = await insertSession({});

  const insertEvent = async (createdAt: Date, sessionId: string) => {
    const [row] = await db
      .insert(securityEvents)
      .values({ type: "sign_in", userId: user.id, sessionId, ip: "198.51.100.4", createdAt })
      .returning({ id: securityEvents.id });
    if (!row) throw new Error("inserting an event returned no row");
    return row.id;
  };
  const oldEvent = await insertEvent(pastCutoff(10), signedOutLongAgo);
  const oldEventOfActiveSession = await insertEvent(pastCutoff(5), activeAncient);
  const recentEvent = await insertEvent(daysAgo(1), activeFresh);
  const eventJustShort = await insertEvent(pastCutoff(-1), endedJustShort);
  const orphanedEvent = await insertEvent(daysAgo(2), revokedJustPast);

  return {
    deletedSessions: [signedOutLongAgo, revokedJustPast, expiredLongAgo],
    keptSessions: [endedRecently, endedJustShort, activeAncient, activeFresh],
    deletedEvents: [oldEvent, oldEventOfActiveSession],
    keptEvents: [recentEvent, eventJustShort, orphanedEvent],
    orphanedEvent,
  };
}

/** Checks which fixture rows remain after retention ran. */
async function expectRetained(db: Database, history: History) {
  const sessionIds = [...history.deletedSessions, ...history.keptSessions];
  const remainingSessions = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(inArray(sessions.id, sessionIds));
  expect(remainingSessions.map((row) => row.id).sort()).toEqual([...history.keptSessions].sort());

  const eventIds = [...history.deletedEvents, ...history.keptEvents];
  const remainingEvents = await db
    .select({ id: securityEvents.id })
    .from(securityEvents)
    .where(inArray(securityEvents.id, eventIds));
  expect(remainingEvents.map((row) => row.id).sort()).toEqual([...history.keptEvents].sort());

  const [orphaned] = await db
    .select({ sessionId: securityEvents.sessionId })
    .from(securityEvents)
    .where(eq(securityEvents.id, history.orphanedEvent));
  expect(orphaned?.sessionId).toBeNull();
}

/** Ids of the fixture rows, grouped by whether retention must clear their IP address. */
interface IpHistory {
  clearedSessions: string[];
  keptSessions: string[];
  clearedEvents: string[];
  keptEvents: string[];
}

const FIXTURE_IP = "198.51.100.4";

/**
 * Inserts one user's sessions and events, all with an IP address and a location, with ages
 * set around the cutoff of `ipRetentionDays`, and active sessions far past it.
 */
async function insertIpHistory(db: Database, ipRetentionDays: number): Promise<IpHistory> {
  const pastCutoff = (days: number) => daysAgo(ipRetentionDays + days);
  const [user] = await db
    .insert(users)
    .values({ email: uniqueEmail("ip-retention"), displayName: "Ip", passwordHash: "unused" })
    .returning({ id: users.id });
  if (!user) throw new Error("inserting the user returned no row");

  const insertSession = async (values: Partial<typeof sessions.$inferInsert>) => {
    const [row] = await db
      .insert(sessions)
      .values({
        userId: user.id,
        secretHash: randomUUID(),
        ip: FIXTURE_IP,
        location: "Germany",
        countryCode: "DE",
        ...values,
      })
      .returning({ id: sessions.id });
    if (!row) throw new Error("inserting a session returned no row");
    return row.id;
  };
  const endedAt = (endedAt: Date) => ({
    status: "ended" as const,
    endReason: "signed_out" as const,
    createdAt: new Date(endedAt.getTime() - DAY_MS),
    lastActiveAt: endedAt,
    endedAt,
  });

  const endedPast = await insertSession(endedAt(pastCutoff(1)));
  const endedShort = await insertSession(endedAt(pastCutoff(-1)));
  const activeAncient = await insertSession({
    createdAt: pastCutoff(60),
    lastActiveAt: pastCutoff(50),
  });

  const insertEvent = async (createdAt: Date) => {
    const [row] = await db
      .insert(securityEvents)
      .values({ type: "sign_in", userId: user.id, ip: FIXTURE_IP, createdAt })
      .returning({ id: securityEvents.id });
    if (!row) throw new Error("inserting an event returned no row");
    return row.id;
  };
  const eventPast = await insertEvent(pastCutoff(1));
  const eventShort = await insertEvent(pastCutoff(-1));

  return {
    clearedSessions: [endedPast],
    keptSessions: [endedShort, activeAncient],
    clearedEvents: [eventPast],
    keptEvents: [eventShort],
  };
}

/** Checks which fixture rows lost their IP address, and that every location stayed. */
async function expectIpsCleared(db: Database, history: IpHistory) {
  const sessionRows = await db
    .select({
      id: sessions.id,
      ip: sessions.ip,
      location: sessions.location,
      countryCode: sessions.countryCode,
    })
    .from(sessions)
    .where(inArray(sessions.id, [...history.clearedSessions, ...history.keptSessions]));
  const sessionIps = Object.fromEntries(sessionRows.map((row) => [row.id, row.ip]));
  for (const id of history.clearedSessions) expect(sessionIps[id]).toBeNull();
  for (const id of history.keptSessions) expect(sessionIps[id]).toBe(FIXTURE_IP);
  for (const row of sessionRows) {
    expect(row.location).toBe("Germany");
    expect(row.countryCode).toBe("DE");
  }

  const eventRows = await db
    .select({ id: securityEvents.id, ip: securityEvents.ip })
    .from(securityEvents)
    .where(inArray(securityEvents.id, [...history.clearedEvents, ...history.keptEvents]));
  const eventIps = Object.fromEntries(eventRows.map((row) => [row.id, row.ip]));
  for (const id of history.clearedEvents) expect(eventIps[id]).toBeNull();
  for (const id of history.keptEvents) expect(eventIps[id]).toBe(FIXTURE_IP);
}

/** Throttle keys, grouped by whether retention must delete them. */
interface Throttles {
  expired: string[];
  live: string[];
}

/** Inserts throttle rows that expired a moment or long ago, and rows that have not. */
async function insertThrottles(db: Database): Promise<Throttles> {
  const insertThrottle = async (expiresAt: Date, lockedUntil: Date | null = null) => {
    const key = `account:retention-${randomUUID()}@example.test`;
    await db.insert(signInThrottles).values({
      key,
      failures: 6,
      windowStartedAt: new Date(expiresAt.getTime() - 2 * DAY_MS),
      lockedUntil,
      expiresAt,
    });
    return key;
  };
  const expiredLongAgo = await insertThrottle(daysAgo(40));
  const expiredJustNow = await insertThrottle(new Date(Date.now() - 1000));
  const counting = await insertThrottle(new Date(Date.now() + DAY_MS));
  const locked = await insertThrottle(new Date(Date.now() + DAY_MS), new Date(Date.now() + 60_000));
  return { expired: [expiredLongAgo, expiredJustNow], live: [counting, locked] };
}

async function expectThrottlesDeleted(db: Database, throttles: Throttles) {
  const remaining = await db
    .select({ key: signInThrottles.key })
    .from(signInThrottles)
    .where(inArray(signInThrottles.key, [...throttles.expired, ...throttles.live]));
  expect(remaining.map((row) => row.key).sort()).toEqual([...throttles.live].sort());
}

class RollBack extends Error {}

/** Runs `work` in a transaction that always rolls back, so its rows never reach other tests. */
async function inRolledBackTransaction(work: (tx: Database) => Promise<void>) {
  try {
    await database.db.transaction(async (tx) => {
      await work(tx);
      throw new RollBack();
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
  }
}

describe("parseRetentionDays", () => {
  it("defaults to 90 days when unset", () => {
    expect(parseRetentionDays(undefined)).toBe(90);
    expect(DEFAULT_RETENTION_DAYS).toBe(90);
  });

  it.each([
    ["1", 1],
    ["30", 30],
    ["3650", 3650],
  ])("accepts %j", (raw, days) => {
    expect(parseRetentionDays(raw)).toBe(days);
  });

  it.each(["", " ", "0", "-5", "1.5", "ninety", "90 days"])("rejects %j", (raw) => {
    expect(() => parseRetentionDays(raw)).toThrow(
      /^Invalid SESSION_HISTORY_RETENTION_DAYS ".*"\. Set it to a whole number/,
    );
  });
});

describe("parseIpRetentionDays", () => {
  it.each([undefined, "", "  "])("defaults to 30 days for %j", (raw) => {
    expect(parseIpRetentionDays(raw)).toBe(30);
    expect(DEFAULT_IP_RETENTION_DAYS).toBe(30);
  });

  it.each([
    ["1", 1],
    ["7", 7],
    ["365", 365],
  ])("accepts %j", (raw, days) => {
    expect(parseIpRetentionDays(raw)).toBe(days);
  });

  it.each(["0", "-5", "1.5", "thirty", "30 days"])("rejects %j", (raw) => {
    expect(() => parseIpRetentionDays(raw)).toThrow(
      /^Invalid IP_RETENTION_DAYS ".*"\. Set it to a whole number/,
    );
  });
});

describe("formatIpResult", () => {
  it("counts rows of each kind", () => {
    expect(formatIpResult({ sessions: 2, securityEvents: 5 }, 30)).toBe(
      "Cleared the IP address of 2 ended sessions and 5 security events older than 30 days.",
    );
    expect(formatIpResult({ sessions: 1, securityEvents: 1 }, 7)).toBe(
      "Cleared the IP address of 1 ended session and 1 security event older than 7 days.",
    );
  });
});

describe("formatThrottleResult", () => {
  it("counts rows", () => {
    expect(formatThrottleResult(0)).toBe("Deleted 0 expired sign-in throttle rows.");
    expect(formatThrottleResult(1)).toBe("Deleted 1 expired sign-in throttle row.");
    expect(formatThrottleResult(12)).toBe("Deleted 12 expired sign-in throttle rows.");
  });
});

describe("deleteExpiredThrottles", () => {
  it("deletes expired rows, keeps the rest", async () => {
    await inRolledBackTransaction(async (tx) => {
      const throttles = await insertThrottles(tx);

      const count = await deleteExpiredThrottles(queryThrough(tx));

      // A shared Postgres database may hold other tests' expired rows.
      if (database.driver === "pglite") expect(count).toBe(2);
      else expect(count).toBeGreaterThanOrEqual(2);
      await expectThrottlesDeleted(tx, throttles);
    });
  });
});

describe("formatResult", () => {
  it("counts rows of each kind", () => {
    expect(formatResult({ sessions: 3, securityEvents: 1 }, 90)).toBe(
      "Deleted 3 ended sessions and 1 security event older than 90 days.",
    );
    expect(formatResult({ sessions: 1, securityEvents: 0 }, 30)).toBe(
      "Deleted 1 ended session and 0 security events older than 30 days.",
    );
  });
});

describe("deleteExpiredHistory", () => {
  it("deletes old history, keeps the rest", async () => {
    await inRolledBackTransaction(async (tx) => {
      const history = await insertHistory(tx, 90);

      const result = await deleteExpiredHistory(queryThrough(tx), 90);

      // Other test files may leave old history in a shared Postgres database, so there the
      // counts are a lower bound. The fresh PGlite database contains only this fixture.
      if (database.driver === "pglite") {
        expect(result).toEqual({ sessions: 3, securityEvents: 2 });
      } else {
        expect(result.sessions).toBeGreaterThanOrEqual(3);
        expect(result.securityEvents).toBeGreaterThanOrEqual(2);
      }
      await expectRetained(tx, history);
    });
  });

  it("measures age in the given days", async () => {
    await inRolledBackTransaction(async (tx) => {
      const history = await insertHistory(tx, 90);
      const [, revokedAt91Days, expiredAt200Days] = history.deletedSessions;

      // At 150 days only the session that ended 200 days ago is old enough.
      await deleteExpiredHistory(queryThrough(tx), 150);

      const remaining = await tx
        .select({ id: sessions.id })
        .from(sessions)
        .where(inArray(sessions.id, history.deletedSessions));
      const remainingIds = remaining.map((row) => row.id);
      expect(remainingIds).toContain(revokedAt91Days);
      expect(remainingIds).not.toContain(expiredAt200Days);
    });
  });

  it.each([0, -1, 1.5, Number.NaN, "90"])("rejects %j days before querying", async (days) => {
    const query = vi.fn<QueryRows>(async () => []);

    await expect(deleteExpiredHistory(query, days as number)).rejects.toThrow(
      /^Invalid retentionDays/,
    );
    expect(query).not.toHaveBeenCalled();
  });
});

describe("clearExpiredIps", () => {
  it("clears old addresses, keeps locations", async () => {
    await inRolledBackTransaction(async (tx) => {
      const history = await insertIpHistory(tx, 30);

      const result = await clearExpiredIps(queryThrough(tx), 30);

      // A shared Postgres database may hold other tests' old rows, as above.
      if (database.driver === "pglite") {
        expect(result).toEqual({ sessions: 1, securityEvents: 1 });
      } else {
        expect(result.sessions).toBeGreaterThanOrEqual(1);
        expect(result.securityEvents).toBeGreaterThanOrEqual(1);
      }
      await expectIpsCleared(tx, history);
    });
  });

  it("counts each row once", async () => {
    await inRolledBackTransaction(async (tx) => {
      await insertIpHistory(tx, 30);
      await clearExpiredIps(queryThrough(tx), 30);

      const again = await clearExpiredIps(queryThrough(tx), 30);

      expect(again).toEqual({ sessions: 0, securityEvents: 0 });
    });
  });

  it.each([0, -1, 1.5, Number.NaN, "30"])("rejects %j days before querying", async (days) => {
    const query = vi.fn<QueryRows>(async () => []);

    await expect(clearExpiredIps(query, days as number)).rejects.toThrow(
      /^Invalid ipRetentionDays/,
    );
    expect(query).not.toHaveBeenCalled();
  });
});

/** Runs the command in a folder with no .env files, so only `env` configures it. */
function runRetention(env: Record<string, string>, args: string[] = []) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      cwd: workDir,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let workDir = "";

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), "tessera-retention-"));
});
afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("db:retention command", () => {
  it("prints usage with the dev server warning", async () => {
    const { code, stdout } = await runRetention({}, ["--help"]);

    expect(code).toBe(0);
    expect(stdout).toContain("SESSION_HISTORY_RETENTION_DAYS");
    expect(stdout).toContain("IP_RETENTION_DAYS");
    expect(stdout).toContain("Stop the dev server first");
  });

  it("rejects a missing PGlite folder", async () => {
    const missing = path.join(workDir, "no-such-folder");

    const { code, stderr } = await runRetention({ PGLITE_DATA_DIR: missing });

    expect(code).toBe(1);
    expect(stderr).toContain(`No PGlite database folder at ${missing}`);
  });

  it("rejects the default folder when absent", async () => {
    const { code, stderr } = await runRetention({});

    expect(code).toBe(1);
    expect(stderr).toContain(path.join(workDir, ".data/pglite-production"));
  });

  // Regression: run beside the dev server, the command deleted rows from a folder the server
  // had open, and the server's later writes were lost.
  it("rejects a PGlite folder another process has open", async () => {
    const folder = path.join(workDir, "open-folder");
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, "PG_VERSION"), "18\n");
    await writeFile(path.join(folder, "postmaster.pid"), "12345\n");

    const { code, stderr } = await runRetention({ PGLITE_DATA_DIR: folder });

    expect(code).toBe(1);
    expect(stderr).toContain("looks open in another process");
  });

  it("rejects an invalid retention period", async () => {
    const { code, stderr } = await runRetention({
      PGLITE_DATA_DIR: path.join(workDir, "unused"),
      SESSION_HISTORY_RETENTION_DAYS: "0",
    });

    expect(code).toBe(1);
    expect(stderr).toContain('Invalid SESSION_HISTORY_RETENTION_DAYS "0".');
  });

  it("rejects an invalid IP retention period", async () => {
    const { code, stderr } = await runRetention({
      PGLITE_DATA_DIR: path.join(workDir, "unused"),
      IP_RETENTION_DAYS: "0",
    });

    expect(code).toBe(1);
    expect(stderr).toContain('Invalid IP_RETENTION_DAYS "0".');
  });

  it("deletes old history from PGlite", { timeout: 90_000 }, async () => {
    const dataDir = path.join(workDir, "pglite");
    const seeding = await openDatabase({ pgliteDataDir: dataDir });
    const history = await insertHistory(seeding.db, 30);
    // Every row of this second history is younger than 30 days, so deletion leaves it all.
    const ipHistory = await insertIpHistory(seeding.db, 10);
    const throttles = await insertThrottles(seeding.db);
    await seeding.close();

    const { code, stdout, stderr } = await runRetention({
      PGLITE_DATA_DIR: dataDir,
      SESSION_HISTORY_RETENTION_DAYS: "30",
      IP_RETENTION_DAYS: "10",
    });

    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(
      `PGlite at ${dataDir}: Deleted 3 ended sessions and 2 security events older than 30 days.`,
    );
    // The first history's sessions have no address; its event from 29 days ago does, and
    // is counted with the second history's old session and event.
    expect(stdout).toContain(
      `PGlite at ${dataDir}: Cleared the IP address of 1 ended session and 2 security events older than 10 days.`,
    );
    expect(stdout).toContain(`PGlite at ${dataDir}: Deleted 2 expired sign-in throttle rows.`);
    const checking = await openDatabase({ pgliteDataDir: dataDir });
    try {
      await expectRetained(checking.db, history);
      await expectIpsCleared(checking.db, ipHistory);
      await expectThrottlesDeleted(checking.db, throttles);
    } finally {
      await checking.close();
    }
  });

  // Only against a server: century-long periods leave other tests' history alone.
  it.runIf(process.env.DATABASE_URL)("deletes old history from Postgres", async () => {
    const centuryDays = 36_500;
    const history = await insertHistory(database.db, centuryDays);

    const { code, stdout, stderr } = await runRetention({
      DATABASE_URL: process.env.DATABASE_URL ?? "",
      SESSION_HISTORY_RETENTION_DAYS: String(centuryDays),
      IP_RETENTION_DAYS: String(centuryDays),
    });

    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Postgres at DATABASE_URL: Deleted \d+ ended sessions and \d+/m);
    expect(stdout).toMatch(/^Postgres at DATABASE_URL: Cleared the IP address of \d+ ended/m);
    expect(stdout).toMatch(/^Postgres at DATABASE_URL: Deleted \d+ expired sign-in throttle/m);
    await expectRetained(database.db, history);
  });
});
