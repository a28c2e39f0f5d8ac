import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { organizations, sessions } from "../db/schema";
import { setupTestDatabase, uniqueEmail } from "../db/test-database";
import type { RequestContext } from "../device/request-context";
import { createOrganization } from "../orgs/organizations";
import { switchOrganization } from "../orgs/membership-changes";
import { signIn, signUp } from "./accounts";
import { effectiveLimits, evaluateSession, type OrganizationLimits } from "./session-policy";
import {
  expireIdleSessions,
  findActiveSession,
  refreshSession,
  type CreatedSession,
} from "./sessions";

// Integration tests of the limits as the database enforces them. Timestamps are set
// directly on the rows, so "an hour ago" needs no waiting.

const database = setupTestDatabase();

const CONTEXT: RequestContext = { userAgent: "Mozilla/5.0 (X11; Linux x86_64)", ip: "127.0.0.1" };
const PASSWORD = "correct horse battery";
const SECOND_MS = 1000;
const HOUR_SECONDS = 60 * 60;
const LIMITS = { absoluteTimeoutSeconds: 8 * HOUR_SECONDS, idleTimeoutSeconds: 30 * 60 };
const ABSOLUTE = LIMITS.absoluteTimeoutSeconds;
const IDLE = LIMITS.idleTimeoutSeconds;

interface Account {
  email: string;
  userId: string;
  personalOrganizationId: string;
  session: CreatedSession;
}

async function createAccount(): Promise<Account> {
  const email = uniqueEmail("limits");
  const result = await signUp(
    database.db,
    { email, displayName: "Lin", password: PASSWORD },
    CONTEXT,
  );
  if (!result.ok) throw new Error("sign-up failed in test setup");
  const { userId, activeOrganizationId } = result.session.subject;
  if (!activeOrganizationId) throw new Error("sign-up created no organization");
  return { email, userId, personalOrganizationId: activeOrganizationId, session: result.session };
}

async function newSession(email: string): Promise<CreatedSession> {
  const result = await signIn(database.db, { email, password: PASSWORD }, CONTEXT);
  if (!result.ok) throw new Error("sign-in failed in test setup");
  return result.session;
}

/** Creates an organization run by the account, with the given session limits. */
async function createOrganizationWithLimits(account: Account, limits: OrganizationLimits) {
  const organization = await database.db.transaction((tx) =>
    createOrganization(tx, account.userId, "Strict Inc"),
  );
  await database.db
    .update(organizations)
    .set({
      sessionAbsoluteTimeoutSeconds: limits.absoluteTimeoutSeconds,
      sessionIdleTimeoutSeconds: limits.idleTimeoutSeconds,
    })
    .where(eq(organizations.id, organization.id));
  return organization.id;
}

async function switchTo(account: Account, session: CreatedSession, organizationId: string) {
  const switched = await switchOrganization(database.db, {
    sessionId: session.subject.sessionId,
    userId: account.userId,
    organizationId,
    context: CONTEXT,
  });
  if (!switched) throw new Error("switching organization failed in test setup");
}

function secondsAgo(seconds: number): Date {
  return new Date(Date.now() - seconds * SECOND_MS);
}

function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * SECOND_MS);
}

async function setTimes(sessionId: string, times: { createdAt?: Date; lastActiveAt?: Date }) {
  await database.db.update(sessions).set(times).where(eq(sessions.id, sessionId));
}

async function readRow(sessionId: string) {
  const [row] = await database.db.select().from(sessions).where(eq(sessions.id, sessionId));
  if (!row) throw new Error(`session ${sessionId} not found`);
  return row;
}

function refresh(secret: string, userActivity: boolean) {
  return refreshSession(database.db, secret, { userActivity, limits: LIMITS });
}

/** Milliseconds between two instants, for "within a second" checks. */
function distanceMs(a: Date | null, b: Date): number {
  if (!a) return Number.POSITIVE_INFINITY;
  return Math.abs(a.getTime() - b.getTime());
}

describe("refreshSession limits", () => {
  it("never mints past the absolute limit", async () => {
    const account = await createAccount();
    const { sessionId } = account.session.subject;
    const createdAt = secondsAgo(ABSOLUTE + 60);
    const lastActiveAt = secondsAgo(10);
    await setTimes(sessionId, { createdAt, lastActiveAt });

    const result = await refresh(account.session.secret, true);

    expect(result).toEqual({
      live: false,
      reason: "absolute_timeout",
      sessionId,
      userId: account.userId,
    });
    const row = await readRow(sessionId);
    expect(row.status).toBe("expired");
    expect(row.endReason).toBe("absolute_timeout");
    expect(distanceMs(row.endedAt, addSeconds(createdAt, ABSOLUTE))).toBeLessThan(SECOND_MS);
    expect(row.lastActiveAt).toEqual(lastActiveAt);
    // Marked once; later refreshes find no active session at all.
    expect(await refresh(account.session.secret, true)).toBeNull();
  });

  it("never mints past the idle limit", async () => {
    const account = await createAccount();
    const { sessionId } = account.session.subject;
    const lastActiveAt = secondsAgo(IDLE + 60);
    await setTimes(sessionId, { createdAt: secondsAgo(HOUR_SECONDS), lastActiveAt });

    const result = await refresh(account.session.secret, false);

    expect(result).toEqual({
      live: false,
      reason: "idle_timeout",
      sessionId,
      userId: account.userId,
    });
    const row = await readRow(sessionId);
    expect(row.status).toBe("expired");
    expect(row.endReason).toBe("idle_timeout");
    expect(distanceMs(row.endedAt, addSeconds(lastActiveAt, IDLE))).toBeLessThan(SECOND_MS);
    expect(await refresh(account.session.secret, false)).toBeNull();
  });

  it("moves last-active only on activity", async () => {
    const account = await createAccount();
    const { sessionId } = account.session.subject;
    const lastActiveAt = secondsAgo(300);
    await setTimes(sessionId, { lastActiveAt });

    const quiet = await refresh(account.session.secret, false);

    expect(quiet?.live).toBe(true);
    expect((await readRow(sessionId)).lastActiveAt).toEqual(lastActiveAt);
    if (!quiet?.live) throw new Error("unreachable");
    expect(Math.abs(quiet.idleExpiresIn - (IDLE - 300))).toBeLessThanOrEqual(2);

    const active = await refresh(account.session.secret, true);

    expect(active?.live).toBe(true);
    const moved = (await readRow(sessionId)).lastActiveAt;
    expect(distanceMs(moved, new Date())).toBeLessThan(5 * SECOND_MS);
    if (!active?.live) throw new Error("unreachable");
    expect(Math.abs(active.idleExpiresIn - IDLE)).toBeLessThanOrEqual(2);
  });

  it("activity cannot revive an idle session", async () => {
    const account = await createAccount();
    const { sessionId } = account.session.subject;
    const lastActiveAt = secondsAgo(IDLE + 60);
    await setTimes(sessionId, { lastActiveAt });

    const result = await refresh(account.session.secret, true);

    expect(result).toMatchObject({ live: false, reason: "idle_timeout" });
    const row = await readRow(sessionId);
    expect(row.status).toBe("expired");
    expect(row.lastActiveAt).toEqual(lastActiveAt);
    expect(distanceMs(row.endedAt, addSeconds(lastActiveAt, IDLE))).toBeLessThan(SECOND_MS);
  });

  it("applies organization limits only while active", async () => {
    const account = await createAccount();
    const strictId = await createOrganizationWithLimits(account, {
      absoluteTimeoutSeconds: null,
      idleTimeoutSeconds: 60,
    });
    const session = await newSession(account.email);
    await switchTo(account, session, strictId);
    const lastActiveAt = secondsAgo(120);
    await setTimes(session.subject.sessionId, { lastActiveAt });

    // Past the organization's 60 s idle limit, well within the app's 30 minutes.
    expect(await findActiveSession(database.db, session.secret, LIMITS)).toBeNull();

    await switchTo(account, session, account.personalOrganizationId);
    const outside = await refresh(session.secret, false);

    expect(outside?.live).toBe(true);
    expect((await readRow(session.subject.sessionId)).status).toBe("active");

    await switchTo(account, session, strictId);
    const inside = await refresh(session.secret, false);

    expect(inside).toMatchObject({ live: false, reason: "idle_timeout" });
    const row = await readRow(session.subject.sessionId);
    expect(row.status).toBe("expired");
    expect(distanceMs(row.endedAt, addSeconds(lastActiveAt, 60))).toBeLessThan(SECOND_MS);
  });

  it("applies a stricter organization absolute limit", async () => {
    const account = await createAccount();
    const strictId = await createOrganizationWithLimits(account, {
      absoluteTimeoutSeconds: HOUR_SECONDS,
      idleTimeoutSeconds: null,
    });
    const session = await newSession(account.email);
    await switchTo(account, session, strictId);
    const createdAt = secondsAgo(HOUR_SECONDS + 60);
    await setTimes(session.subject.sessionId, { createdAt, lastActiveAt: secondsAgo(5) });

    const result = await refresh(session.secret, true);

    expect(result).toMatchObject({ live: false, reason: "absolute_timeout" });
    const row = await readRow(session.subject.sessionId);
    expect(distanceMs(row.endedAt, addSeconds(createdAt, HOUR_SECONDS))).toBeLessThan(SECOND_MS);
  });
  it("accepts an app limit past 2^31 seconds", async () => {
    // Regression: the limits were cast to integer, so a limit of 68 years or more made
    // every refresh fail with "out of range for type integer".
    const century = 100 * 365 * 24 * HOUR_SECONDS;
    const account = await createAccount();
    const limits = { absoluteTimeoutSeconds: century, idleTimeoutSeconds: century };

    const result = await refreshSession(database.db, account.session.secret, {
      userActivity: false,
      limits,
    });

    expect(result?.live).toBe(true);
    if (!result?.live) return;
    expect(result.absoluteExpiresIn).toBeGreaterThan(century - 60);
    expect(result.idleExpiresIn).toBeGreaterThan(century - 60);
    expect(await findActiveSession(database.db, account.session.secret, limits)).not.toBeNull();
    expect(await expireIdleSessions(database.db, account.userId, limits)).toEqual([]);
  });
});

describe("findActiveSession limits", () => {
  it("rejects expired rows before marking", async () => {
    const account = await createAccount();
    const pastAbsolute = account.session;
    const pastIdle = await newSession(account.email);
    const live = await newSession(account.email);
    await setTimes(pastAbsolute.subject.sessionId, {
      createdAt: secondsAgo(ABSOLUTE + 60),
      lastActiveAt: secondsAgo(10),
    });
    await setTimes(pastIdle.subject.sessionId, { lastActiveAt: secondsAgo(IDLE + 60) });

    expect(await findActiveSession(database.db, pastAbsolute.secret, LIMITS)).toBeNull();
    expect(await findActiveSession(database.db, pastIdle.secret, LIMITS)).toBeNull();
    const found = await findActiveSession(database.db, live.secret, LIMITS);
    expect(found?.sessionId).toBe(live.subject.sessionId);

    // Reading marks nothing: the rows are still active until a refresh or a sweep.
    for (const session of [pastAbsolute, pastIdle]) {
      const row = await readRow(session.subject.sessionId);
      expect(row.status).toBe("active");
      expect(row.endedAt).toBeNull();
    }
  });
});

describe("expireIdleSessions", () => {
  it("marks only that user's expired sessions", async () => {
    const account = await createAccount();
    const other = await createAccount();
    const live = account.session;
    const pastIdle = await newSession(account.email);
    const pastAbsolute = await newSession(account.email);
    const idleSince = secondsAgo(IDLE + 60);
    const createdAt = secondsAgo(ABSOLUTE + 60);
    await setTimes(pastIdle.subject.sessionId, { lastActiveAt: idleSince });
    await setTimes(pastAbsolute.subject.sessionId, { createdAt, lastActiveAt: secondsAgo(10) });
    await setTimes(other.session.subject.sessionId, { lastActiveAt: secondsAgo(IDLE + 60) });

    const marked = await expireIdleSessions(database.db, account.userId, LIMITS);

    expect([...marked].sort()).toEqual(
      [pastIdle.subject.sessionId, pastAbsolute.subject.sessionId].sort(),
    );
    const idleRow = await readRow(pastIdle.subject.sessionId);
    expect(idleRow.status).toBe("expired");
    expect(idleRow.endReason).toBe("idle_timeout");
    expect(distanceMs(idleRow.endedAt, addSeconds(idleSince, IDLE))).toBeLessThan(SECOND_MS);
    const absoluteRow = await readRow(pastAbsolute.subject.sessionId);
    expect(absoluteRow.status).toBe("expired");
    expect(absoluteRow.endReason).toBe("absolute_timeout");
    expect(distanceMs(absoluteRow.endedAt, addSeconds(createdAt, ABSOLUTE))).toBeLessThan(
      SECOND_MS,
    );
    expect((await readRow(live.subject.sessionId)).status).toBe("active");
    expect((await readRow(other.session.subject.sessionId)).status).toBe("active");

    expect(await expireIdleSessions(database.db, account.userId, LIMITS)).toEqual([]);
  });
});

/** The session's active organization in an agreement case. */
type OrganizationSetup = "none" | "personal" | OrganizationLimits;

interface AgreementCase {
  name: string;
  createdAgoSeconds: number;
  lastActiveAgoSeconds: number;
  organization: OrganizationSetup;
}

const STRICT_BOTH = { absoluteTimeoutSeconds: HOUR_SECONDS, idleTimeoutSeconds: 300 };
const LOOSE_BOTH = {
  absoluteTimeoutSeconds: 24 * HOUR_SECONDS,
  idleTimeoutSeconds: 2 * HOUR_SECONDS,
};
const ONLY_ABSOLUTE = { absoluteTimeoutSeconds: HOUR_SECONDS, idleTimeoutSeconds: null };
const ONLY_IDLE = { absoluteTimeoutSeconds: null, idleTimeoutSeconds: 300 };

// Every deadline sits at least a minute from the moment of the test, far from the 2 s margin
// that the test checks below.
const AGREEMENT_CASES: AgreementCase[] = [
  { name: "fresh session", createdAgoSeconds: 60, lastActiveAgoSeconds: 60, organization: "none" },
  {
    name: "idle past the app limit",
    createdAgoSeconds: 3 * HOUR_SECONDS,
    lastActiveAgoSeconds: IDLE + 60,
    organization: "none",
  },
  {
    name: "active near the absolute limit",
    createdAgoSeconds: ABSOLUTE - 60,
    lastActiveAgoSeconds: 10,
    organization: "none",
  },
  {
    name: "active past the absolute limit",
    createdAgoSeconds: ABSOLUTE + 60,
    lastActiveAgoSeconds: 10,
    organization: "none",
  },
  {
    name: "both passed, absolute first",
    createdAgoSeconds: ABSOLUTE + HOUR_SECONDS,
    lastActiveAgoSeconds: IDLE + 60,
    organization: "none",
  },
  {
    name: "both passed, idle first",
    createdAgoSeconds: ABSOLUTE + 60,
    lastActiveAgoSeconds: ABSOLUTE + 60 - 600,
    organization: "none",
  },
  {
    name: "organization without limits",
    createdAgoSeconds: HOUR_SECONDS,
    lastActiveAgoSeconds: IDLE + 60,
    organization: "personal",
  },
  {
    name: "stricter organization, live",
    createdAgoSeconds: 600,
    lastActiveAgoSeconds: 240,
    organization: STRICT_BOTH,
  },
  {
    name: "stricter organization, idle",
    createdAgoSeconds: 600,
    lastActiveAgoSeconds: 360,
    organization: STRICT_BOTH,
  },
  {
    name: "stricter organization, absolute",
    createdAgoSeconds: HOUR_SECONDS + 60,
    lastActiveAgoSeconds: 30,
    organization: STRICT_BOTH,
  },
  {
    name: "looser organization, live",
    createdAgoSeconds: ABSOLUTE - 60,
    lastActiveAgoSeconds: IDLE - 60,
    organization: LOOSE_BOTH,
  },
  {
    name: "looser organization, idle",
    createdAgoSeconds: 3000,
    lastActiveAgoSeconds: IDLE + 60,
    organization: LOOSE_BOTH,
  },
  {
    name: "looser organization, absolute",
    createdAgoSeconds: ABSOLUTE + 60,
    lastActiveAgoSeconds: 30,
    organization: LOOSE_BOTH,
  },
  {
    name: "only absolute set, absolute",
    createdAgoSeconds: HOUR_SECONDS + 60,
    lastActiveAgoSeconds: 30,
    organization: ONLY_ABSOLUTE,
  },
  {
    name: "only absolute set, app idle",
    createdAgoSeconds: 2000,
    lastActiveAgoSeconds: IDLE + 60,
    organization: ONLY_ABSOLUTE,
  },
  {
    name: "only idle set, idle",
    createdAgoSeconds: 1000,
    lastActiveAgoSeconds: 360,
    organization: ONLY_IDLE,
  },
  {
    name: "only idle set, app absolute",
    createdAgoSeconds: ABSOLUTE + 60,
    lastActiveAgoSeconds: 30,
    organization: ONLY_IDLE,
  },
  {
    name: "only idle set, live",
    createdAgoSeconds: HOUR_SECONDS + 60,
    lastActiveAgoSeconds: 240,
    organization: ONLY_IDLE,
  },
];

/** Opens a session whose active organization matches the case's setup. */
async function sessionFor(account: Account, setup: OrganizationSetup): Promise<CreatedSession> {
  const session = await newSession(account.email);
  if (setup === "none") {
    await database.db
      .update(sessions)
      .set({ activeOrganizationId: null, activeRole: null })
      .where(eq(sessions.id, session.subject.sessionId));
  } else if (setup === "personal") {
    await switchTo(account, session, account.personalOrganizationId);
  } else {
    await switchTo(account, session, await createOrganizationWithLimits(account, setup));
  }
  return session;
}

function organizationLimitsOf(setup: OrganizationSetup): OrganizationLimits | null {
  if (setup === "none") return null;
  if (setup === "personal") return { absoluteTimeoutSeconds: null, idleTimeoutSeconds: null };
  return setup;
}

describe("refreshSession and evaluateSession", () => {
  it.each(AGREEMENT_CASES)("agree: $name", async (testCase) => {
    const account = await createAccount();
    const session = await sessionFor(account, testCase.organization);
    const createdAt = secondsAgo(testCase.createdAgoSeconds);
    const lastActiveAt = secondsAgo(testCase.lastActiveAgoSeconds);
    await setTimes(session.subject.sessionId, { createdAt, lastActiveAt });

    const result = await refresh(session.secret, false);
    const now = new Date();
    const limits = effectiveLimits(LIMITS, organizationLimitsOf(testCase.organization));
    const verdict = evaluateSession({ createdAt, lastActiveAt }, limits, now);

    // Guards the table: a case this close to a deadline could flip between the two reads.
    for (const deadline of [
      addSeconds(createdAt, limits.absoluteTimeoutSeconds),
      addSeconds(lastActiveAt, limits.idleTimeoutSeconds),
    ]) {
      expect(distanceMs(deadline, now)).toBeGreaterThan(2 * SECOND_MS);
    }

    const row = await readRow(session.subject.sessionId);
    if (verdict.live) {
      expect(result?.live).toBe(true);
      if (!result?.live) return;
      const absoluteSeconds = (verdict.absoluteDeadline.getTime() - now.getTime()) / SECOND_MS;
      const idleSeconds = (verdict.idleDeadline.getTime() - now.getTime()) / SECOND_MS;
      expect(Math.abs(result.absoluteExpiresIn - absoluteSeconds)).toBeLessThanOrEqual(2);
      expect(Math.abs(result.idleExpiresIn - idleSeconds)).toBeLessThanOrEqual(2);
      expect(row.status).toBe("active");
      expect(row.endedAt).toBeNull();
    } else {
      expect(result).toMatchObject({ live: false, reason: verdict.reason });
      expect(row.status).toBe("expired");
      expect(row.endReason).toBe(verdict.reason);
      expect(distanceMs(row.endedAt, verdict.endedAt)).toBeLessThan(SECOND_MS);
    }
  });
});
