import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { sessions } from "../db/schema";
import { setupTestDatabase, uniqueEmail } from "../db/test-database";
import type { RequestContext } from "../device/request-context";
import { changePassword, signIn, signUp } from "./accounts";
import { SESSION_END_REASON_TEXT } from "./end-reasons";
import { listRecentSignOuts } from "./history";
import { endSession, expireIdleSessions, revokeSession, type CreatedSession } from "./sessions";

const database = setupTestDatabase();

const PASSWORD = "correct horse battery";
const LIMITS = { absoluteTimeoutSeconds: 7 * 24 * 60 * 60, idleTimeoutSeconds: 30 * 60 };
const MAC_CHROME: RequestContext = {
  userAgent:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  ip: "203.0.113.7",
};
const ANDROID_FIREFOX: RequestContext = {
  userAgent: "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0",
  ip: "192.168.1.20",
};

async function createAccount() {
  const email = uniqueEmail("history");
  const result = await signUp(
    database.db,
    { email, displayName: "Grace", password: PASSWORD },
    MAC_CHROME,
  );
  if (!result.ok) throw new Error("sign-up failed in test setup");
  return { email, userId: result.session.subject.userId, session: result.session };
}

async function newSession(email: string, context = MAC_CHROME): Promise<CreatedSession> {
  const result = await signIn(database.db, { email, password: PASSWORD }, context);
  if (!result.ok) throw new Error("sign-in failed in test setup");
  return result.session;
}

/** Moves a session's times back by whole days, as if it had ended that long ago. */
async function backdate(sessionId: string, days: number) {
  const shift = sql`make_interval(days => ${days}::integer)`;
  await database.db
    .update(sessions)
    .set({
      createdAt: sql`${sessions.createdAt} - ${shift}`,
      lastActiveAt: sql`${sessions.lastActiveAt} - ${shift}`,
      endedAt: sql`${sessions.endedAt} - ${shift}`,
    })
    .where(eq(sessions.id, sessionId));
}

async function setEndedAt(sessionId: string, endedAt: Date) {
  await database.db.update(sessions).set({ endedAt }).where(eq(sessions.id, sessionId));
}

describe("listRecentSignOuts", () => {
  it("lists only ended sessions", async () => {
    const account = await createAccount();
    const ended = await newSession(account.email);
    await newSession(account.email);
    await endSession(database.db, ended.subject.sessionId);

    const history = await listRecentSignOuts(database.db, account.userId);

    expect(history.map((entry) => entry.id)).toEqual([ended.subject.sessionId]);
  });

  it("lists only the caller's sessions", async () => {
    const owner = await createAccount();
    const stranger = await createAccount();
    await endSession(database.db, owner.session.subject.sessionId);
    await endSession(database.db, stranger.session.subject.sessionId);

    const history = await listRecentSignOuts(database.db, owner.userId);

    expect(history.map((entry) => entry.id)).toEqual([owner.session.subject.sessionId]);
  });

  it("returns device, place and times", async () => {
    const account = await createAccount();
    const phone = await newSession(account.email, ANDROID_FIREFOX);
    await endSession(database.db, phone.subject.sessionId);

    const [entry] = await listRecentSignOuts(database.db, account.userId);

    expect(entry).toEqual({
      id: phone.subject.sessionId,
      browser: "Firefox",
      os: "Android",
      deviceType: "mobile",
      ip: "192.168.1.20",
      location: "Local network",
      createdAt: expect.any(Date),
      endedAt: expect.any(Date),
      endReason: "signed_out",
    });
    expect(entry?.endedAt.getTime()).toBeGreaterThanOrEqual(entry?.createdAt.getTime() ?? 0);
  });

  it("keeps the 30-day window", async () => {
    const account = await createAccount();
    const recent = await newSession(account.email);
    const old = await newSession(account.email);
    await endSession(database.db, recent.subject.sessionId);
    await endSession(database.db, old.subject.sessionId);
    await endSession(database.db, account.session.subject.sessionId);
    await backdate(recent.subject.sessionId, 29);
    await backdate(old.subject.sessionId, 31);

    const history = await listRecentSignOuts(database.db, account.userId);

    expect(history.map((entry) => entry.id)).toEqual([
      account.session.subject.sessionId,
      recent.subject.sessionId,
    ]);
  });

  it("orders by end time, newest first", async () => {
    const account = await createAccount();
    const first = await newSession(account.email);
    const second = await newSession(account.email);
    await endSession(database.db, account.session.subject.sessionId);
    await endSession(database.db, first.subject.sessionId);
    await endSession(database.db, second.subject.sessionId);
    // End times set out of creation order, so the order can only come from ended_at.
    const now = Date.now();
    await setEndedAt(first.subject.sessionId, new Date(now - 1_000));
    await setEndedAt(second.subject.sessionId, new Date(now - 3_000));
    await setEndedAt(account.session.subject.sessionId, new Date(now - 2_000));

    const history = await listRecentSignOuts(database.db, account.userId);

    expect(history.map((entry) => entry.id)).toEqual([
      first.subject.sessionId,
      account.session.subject.sessionId,
      second.subject.sessionId,
    ]);
  });

  it("stops at the limit", async () => {
    const account = await createAccount();
    const others = [await newSession(account.email), await newSession(account.email)];
    for (const session of [account.session, ...others]) {
      await endSession(database.db, session.subject.sessionId);
    }

    const history = await listRecentSignOuts(database.db, account.userId, { limit: 2 });

    expect(history).toHaveLength(2);
  });

  it("reports each way a session ends", async () => {
    const account = await createAccount();
    const revoked = await newSession(account.email);
    const idle = await newSession(account.email);
    const tooOld = await newSession(account.email);
    await endSession(database.db, account.session.subject.sessionId);
    await revokeSession(database.db, {
      userId: account.userId,
      currentSessionId: idle.subject.sessionId,
      targetSessionId: revoked.subject.sessionId,
      reason: "revoked_by_user",
    });
    // Idle for an hour, and eight days old: past the idle and the absolute limit in LIMITS.
    await database.db
      .update(sessions)
      .set({ lastActiveAt: sql`now() - interval '1 hour'` })
      .where(eq(sessions.id, idle.subject.sessionId));
    await database.db
      .update(sessions)
      .set({ createdAt: sql`now() - interval '8 days'` })
      .where(eq(sessions.id, tooOld.subject.sessionId));

    const expired = await expireIdleSessions(database.db, account.userId, LIMITS);
    const history = await listRecentSignOuts(database.db, account.userId);

    expect(expired.sort()).toEqual([idle.subject.sessionId, tooOld.subject.sessionId].sort());
    const reasonOf = (sessionId: string) =>
      history.find((entry) => entry.id === sessionId)?.endReason;
    expect(reasonOf(account.session.subject.sessionId)).toBe("signed_out");
    expect(reasonOf(revoked.subject.sessionId)).toBe("revoked_by_user");
    expect(reasonOf(idle.subject.sessionId)).toBe("idle_timeout");
    expect(reasonOf(tooOld.subject.sessionId)).toBe("absolute_timeout");
    expect(history.map((entry) => SESSION_END_REASON_TEXT[entry.endReason]).sort()).toEqual([
      "Expired after inactivity",
      "Reached the maximum session length",
      "Signed out",
      "Signed out from another device",
    ]);
  });

  it("password change ends the others", async () => {
    const account = await createAccount();
    const phone = await newSession(account.email, ANDROID_FIREFOX);

    const changed = await changePassword(
      database.db,
      account.session.subject,
      { current: PASSWORD, next: "another long passphrase" },
      MAC_CHROME,
    );
    const history = await listRecentSignOuts(database.db, account.userId);

    expect(changed.ok).toBe(true);
    expect(history.map((entry) => [entry.id, entry.endReason])).toEqual([
      [phone.subject.sessionId, "password_changed"],
    ]);
  });

  it("dates an expired session at its deadline", async () => {
    const account = await createAccount();
    await database.db
      .update(sessions)
      .set({ lastActiveAt: sql`now() - interval '2 hours'` })
      .where(eq(sessions.id, account.session.subject.sessionId));

    await expireIdleSessions(database.db, account.userId, LIMITS);
    const [entry] = await listRecentSignOuts(database.db, account.userId);

    // Idle since two hours ago with a 30-minute limit: ended about 90 minutes ago.
    const minutesAgo = (Date.now() - (entry?.endedAt.getTime() ?? 0)) / 60_000;
    expect(minutesAgo).toBeGreaterThan(89);
    expect(minutesAgo).toBeLessThan(91);
  });

  it("returns no columns beyond the narrow shape", async () => {
    const account = await createAccount();
    await endSession(database.db, account.session.subject.sessionId);

    const [entry] = await listRecentSignOuts(database.db, account.userId);

    expect(Object.keys(entry ?? {}).sort()).toEqual([
      "browser",
      "createdAt",
      "deviceType",
      "endReason",
      "endedAt",
      "id",
      "ip",
      "location",
      "os",
    ]);
  });
});
