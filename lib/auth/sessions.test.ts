import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { securityEvents, sessions, users } from "../db/schema";
import { setupTestDatabase, uniqueEmail, uniqueIpv4 } from "../db/test-database";
import { readRequestContext, type RequestContext } from "../device/request-context";
import { signIn, signUp } from "./accounts";
import { hashSessionSecret } from "./secret";
import {
  endSession,
  findActiveSession,
  listActiveSessions,
  refreshSession,
  revokeOtherSessions,
  revokeSession,
} from "./sessions";

const database = setupTestDatabase();

const LIMITS = { absoluteTimeoutSeconds: 7 * 24 * 60 * 60, idleTimeoutSeconds: 30 * 60 };

/** Refreshes and returns the token subject, or null when the session cannot mint. */
async function refresh(secret: string, userActivity: boolean) {
  const result = await refreshSession(database.db, secret, { userActivity, limits: LIMITS });
  return result?.live ? result.subject : null;
}

const MAC_CHROME: RequestContext = {
  userAgent:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  ip: "203.0.113.7",
};
const WINDOWS_FIREFOX: RequestContext = {
  userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  ip: "127.0.0.1",
};

async function createUserWithSession(context: RequestContext = MAC_CHROME) {
  const email = uniqueEmail();
  const result = await signUp(
    database.db,
    { email, displayName: "Ada", password: "correct horse battery" },
    context,
  );
  if (!result.ok) throw new Error("sign-up failed in test setup");
  return { email, ...result.session };
}

async function signInAgain(email: string, context: RequestContext) {
  const result = await signIn(database.db, { email, password: "correct horse battery" }, context);
  if (!result.ok) throw new Error("sign-in failed in test setup");
  return result.session;
}

async function readRow(sessionId: string) {
  const [row] = await database.db.select().from(sessions).where(eq(sessions.id, sessionId));
  if (!row) throw new Error(`session ${sessionId} not found`);
  return row;
}

describe("createSession", () => {
  it("stores the secret's hash, never the secret", async () => {
    const { subject, secret } = await createUserWithSession();
    const row = await readRow(subject.sessionId);

    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(row.secretHash).toBe(hashSessionSecret(secret));
    expect(row.secretHash).not.toContain(secret);
    expect(row.id).not.toBe(secret);
  });

  it("records device, IP and location", async () => {
    const { subject } = await createUserWithSession(MAC_CHROME);
    const row = await readRow(subject.sessionId);

    expect(row.status).toBe("active");
    expect(row.browser).toBe("Chrome");
    expect(row.os).toBe("macOS");
    expect(row.deviceType).toBe("desktop");
    expect(row.ip).toBe("203.0.113.7");
    expect(row.location).toBe("Unknown location");
    expect(row.userAgent).toBe(MAC_CHROME.userAgent);
  });

  it("ignores a forged left-most X-Forwarded-For", async () => {
    const headers = new Headers({
      "user-agent": MAC_CHROME.userAgent,
      "x-forwarded-for": "6.6.6.6, 198.51.100.23",
    });
    const { subject } = await createUserWithSession(readRequestContext(headers, 1));

    expect((await readRow(subject.sessionId)).ip).toBe("198.51.100.23");
  });

  it("creates a new session for every sign-in", async () => {
    const first = await createUserWithSession();
    const second = await signInAgain(first.email, WINDOWS_FIREFOX);

    expect(second.subject.sessionId).not.toBe(first.subject.sessionId);
    expect(second.secret).not.toBe(first.secret);
    expect((await readRow(second.subject.sessionId)).location).toBe("Local network");
  });
});

describe("refreshSession", () => {
  it("returns the token subject of an active session", async () => {
    const { subject, secret } = await createUserWithSession();
    const refreshed = await refresh(secret, false);

    expect(refreshed?.sessionId).toBe(subject.sessionId);
    expect(refreshed?.userId).toBe(subject.userId);
  });

  it("returns null for an unknown secret", async () => {
    const refreshed = await refresh("not-a-real-secret", true);
    expect(refreshed).toBeNull();
  });

  it("never mints for a revoked session", async () => {
    const first = await createUserWithSession();
    const second = await signInAgain(first.email, WINDOWS_FIREFOX);
    await revokeSession(database.db, {
      userId: first.subject.userId,
      currentSessionId: first.subject.sessionId,
      targetSessionId: second.subject.sessionId,
      reason: "revoked_by_user",
    });

    expect(await refresh(second.secret, true)).toBeNull();
    expect(await findActiveSession(database.db, second.secret, LIMITS)).toBeNull();
  });

  it("never mints for an ended session", async () => {
    const { subject, secret } = await createUserWithSession();
    expect(await endSession(database.db, subject.sessionId)).toBe(true);

    expect(await refresh(secret, true)).toBeNull();
    const row = await readRow(subject.sessionId);
    expect(row.status).toBe("ended");
    expect(row.endReason).toBe("signed_out");
    expect(row.endedAt).toBeInstanceOf(Date);
  });

  it("moves last-active only on user activity", async () => {
    const { subject, secret } = await createUserWithSession();
    const past = new Date(Date.now() - 10 * 60_000);
    await database.db
      .update(sessions)
      .set({ lastActiveAt: past })
      .where(eq(sessions.id, subject.sessionId));

    await refresh(secret, false);
    expect((await readRow(subject.sessionId)).lastActiveAt.getTime()).toBe(past.getTime());

    await refresh(secret, true);
    const moved = (await readRow(subject.sessionId)).lastActiveAt.getTime();
    expect(moved).toBeGreaterThan(past.getTime() + 9 * 60_000);
  });
});

describe("revokeSession", () => {
  it("revokes another session of the same user", async () => {
    const first = await createUserWithSession();
    const second = await signInAgain(first.email, WINDOWS_FIREFOX);

    const revoked = await revokeSession(database.db, {
      userId: first.subject.userId,
      currentSessionId: first.subject.sessionId,
      targetSessionId: second.subject.sessionId,
      reason: "revoked_by_user",
    });

    expect(revoked).toBe(true);
    const row = await readRow(second.subject.sessionId);
    expect(row.status).toBe("revoked");
    expect(row.endReason).toBe("revoked_by_user");
    expect(row.endedAt).toBeInstanceOf(Date);
  });

  it("cannot revoke another user's session", async () => {
    const attacker = await createUserWithSession();
    const victim = await createUserWithSession(WINDOWS_FIREFOX);

    const revoked = await revokeSession(database.db, {
      userId: attacker.subject.userId,
      currentSessionId: attacker.subject.sessionId,
      targetSessionId: victim.subject.sessionId,
      reason: "revoked_by_user",
    });

    expect(revoked).toBe(false);
    expect((await readRow(victim.subject.sessionId)).status).toBe("active");
    expect(await refresh(victim.secret, false)).not.toBeNull();
  });

  it("does not revoke the current session", async () => {
    const { subject } = await createUserWithSession();
    const revoked = await revokeSession(database.db, {
      userId: subject.userId,
      currentSessionId: subject.sessionId,
      targetSessionId: subject.sessionId,
      reason: "revoked_by_user",
    });

    expect(revoked).toBe(false);
    expect((await readRow(subject.sessionId)).status).toBe("active");
  });

  it("returns false for an unknown session id", async () => {
    const { subject } = await createUserWithSession();
    const revoked = await revokeSession(database.db, {
      userId: subject.userId,
      currentSessionId: subject.sessionId,
      targetSessionId: "00000000-0000-4000-8000-000000000000",
      reason: "revoked_by_user",
    });
    expect(revoked).toBe(false);
  });
});

describe("revokeOtherSessions", () => {
  it("keeps only the current session active", async () => {
    const first = await createUserWithSession();
    const second = await signInAgain(first.email, WINDOWS_FIREFOX);
    const third = await signInAgain(first.email, MAC_CHROME);

    const revokedIds = await revokeOtherSessions(database.db, {
      userId: first.subject.userId,
      currentSessionId: third.subject.sessionId,
      reason: "revoked_by_user",
    });

    expect(revokedIds.sort()).toEqual([first.subject.sessionId, second.subject.sessionId].sort());
    const active = await listActiveSessions(database.db, first.subject.userId);
    expect(active.map((session) => session.id)).toEqual([third.subject.sessionId]);
  });
});

describe("listActiveSessions", () => {
  it("returns display columns only", async () => {
    const { subject } = await createUserWithSession();
    const [listed] = await listActiveSessions(database.db, subject.userId);

    expect(listed?.id).toBe(subject.sessionId);
    expect(Object.keys(listed ?? {}).sort()).toEqual(
      ["browser", "createdAt", "deviceType", "id", "ip", "lastActiveAt", "location", "os"].sort(),
    );
  });

  it("keeps ended sessions as history", async () => {
    const { subject } = await createUserWithSession();
    await endSession(database.db, subject.sessionId);

    expect(await listActiveSessions(database.db, subject.userId)).toEqual([]);
    expect((await readRow(subject.sessionId)).status).toBe("ended");
  });
});

describe("accounts", () => {
  it("hashes passwords with argon2id", async () => {
    const { email } = await createUserWithSession();
    const [user] = await database.db.select().from(users).where(eq(users.email, email));

    expect(user?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("treats email case-insensitively", async () => {
    const { email } = await createUserWithSession();
    const duplicate = await signUp(
      database.db,
      { email: email.toUpperCase(), displayName: "Eve", password: "another password" },
      MAC_CHROME,
    );
    const signedIn = await signIn(
      database.db,
      { email: email.toUpperCase(), password: "correct horse battery" },
      MAC_CHROME,
    );

    expect(duplicate).toEqual({ ok: false, error: "email_taken" });
    expect(signedIn.ok).toBe(true);
  });

  it("rejects a wrong password and an unknown email alike", async () => {
    const { email, subject } = await createUserWithSession();
    const attacker = { ...WINDOWS_FIREFOX, ip: uniqueIpv4() };
    const wrongPassword = await signIn(
      database.db,
      { email, password: "wrong password!" },
      attacker,
    );
    const unknownEmail = await signIn(
      database.db,
      { email: uniqueEmail("nobody"), password: "correct horse battery" },
      attacker,
    );

    expect(wrongPassword).toEqual({ ok: false });
    expect(unknownEmail).toEqual({ ok: false });
    const events = await database.db
      .select({ type: securityEvents.type, ip: securityEvents.ip })
      .from(securityEvents)
      .where(eq(securityEvents.userId, subject.userId));
    expect(events).toContainEqual({ type: "sign_in_failed", ip: attacker.ip });
  });

  it("records sign-up and sign-in events", async () => {
    const { email, subject } = await createUserWithSession();
    const second = await signInAgain(email, WINDOWS_FIREFOX);
    const events = await database.db
      .select({
        type: securityEvents.type,
        sessionId: securityEvents.sessionId,
        userAgent: securityEvents.userAgent,
      })
      .from(securityEvents)
      .where(eq(securityEvents.userId, subject.userId));

    expect(events).toContainEqual({
      type: "sign_up",
      sessionId: subject.sessionId,
      userAgent: MAC_CHROME.userAgent,
    });
    expect(events).toContainEqual({
      type: "sign_in",
      sessionId: second.subject.sessionId,
      userAgent: WINDOWS_FIREFOX.userAgent,
    });
  });
});
