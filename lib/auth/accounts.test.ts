import { randomBytes } from "node:crypto";

import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { securityEvents, sessions, signInThrottles } from "../db/schema";
import { setupTestDatabase, uniqueEmail, uniqueIpv4 } from "../db/test-database";
import type { RequestContext } from "../device/request-context";
import { signIn, signUp, type SignInResult } from "./accounts";
import { verifyAgainstDummyHash, verifyPassword } from "./password";
import { ipLimit, reserveAttempt } from "./throttle";

// The real functions, wrapped so that tests can count password checks.
vi.mock("./password", async (importOriginal) => {
  const original = await importOriginal<typeof import("./password")>();
  return {
    ...original,
    verifyPassword: vi.fn(original.verifyPassword),
    verifyAgainstDummyHash: vi.fn(original.verifyAgainstDummyHash),
  };
});

const database = setupTestDatabase();
const PASSWORD = "correct horse battery";
// Whole seconds near the real time, so that rows of earlier runs in a shared database have
// long expired if a random test address ever repeats.
const START = new Date(Math.floor(Date.now() / 1000) * 1000);
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

function at(seconds: number): Date {
  return new Date(START.getTime() + seconds * 1000);
}

// A fresh address per test, so that address counts of other tests and runs never add up.
const freshIpv4 = uniqueIpv4;

function freshIpv6Prefix(): string {
  return `2001:db8:${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}`;
}

function contextFrom(ip: string): RequestContext {
  return { userAgent: USER_AGENT, ip };
}

async function createAccount() {
  const email = uniqueEmail("throttle");
  const created = await signUp(
    database.db,
    { email, displayName: "Ada", password: PASSWORD },
    contextFrom(freshIpv4()),
  );
  if (!created.ok) throw new Error("sign-up failed in test setup");
  const { subject, secret } = created.session;
  return { email, userId: subject.userId, sessionId: subject.sessionId, secret };
}

async function signInTimes(
  times: number,
  email: string,
  password: string,
  context: RequestContext,
  now: Date,
): Promise<SignInResult[]> {
  const results: SignInResult[] = [];
  for (let i = 0; i < times; i += 1) {
    results.push(await signIn(database.db, { email, password }, context, { now }));
  }
  return results;
}

function passwordChecks(): number {
  return vi.mocked(verifyPassword).mock.calls.length;
}

function dummyChecks(): number {
  return vi.mocked(verifyAgainstDummyHash).mock.calls.length;
}

async function failureEvents(userId: string) {
  return database.db
    .select({ detail: securityEvents.detail })
    .from(securityEvents)
    .where(and(eq(securityEvents.userId, userId), eq(securityEvents.type, "sign_in_failed")));
}

async function throttleRow(key: string) {
  const [row] = await database.db
    .select()
    .from(signInThrottles)
    .where(eq(signInThrottles.key, key));
  return row;
}

beforeEach(() => {
  vi.mocked(verifyPassword).mockClear();
  vi.mocked(verifyAgainstDummyHash).mockClear();
});

describe("signIn throttling", () => {
  it("allows five failures, then locks", async () => {
    const { email } = await createAccount();
    const context = contextFrom(freshIpv4());

    const results = await signInTimes(7, email, "wrong password", context, START);

    expect(results.slice(0, 6)).toEqual(Array.from({ length: 6 }, () => ({ ok: false })));
    expect(results[6]).toEqual({ ok: false, retryAfterSeconds: 60 });
  });

  it("rejects the right password while locked", async () => {
    const { email } = await createAccount();
    const context = contextFrom(freshIpv4());
    await signInTimes(6, email, "wrong password", context, START);

    const locked = await signIn(database.db, { email, password: PASSWORD }, context, {
      now: at(59),
    });
    const after = await signIn(database.db, { email, password: PASSWORD }, context, {
      now: at(60),
    });

    expect(locked).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(after.ok).toBe(true);
  });

  it("checks no password while locked", async () => {
    const { email } = await createAccount();
    const unknown = uniqueEmail("nobody");
    const context = contextFrom(freshIpv4());
    await signInTimes(6, email, "wrong password", context, START);
    await signInTimes(6, unknown, "wrong password", context, START);
    expect(passwordChecks()).toBe(6);
    expect(dummyChecks()).toBe(6);

    await signInTimes(3, email, PASSWORD, context, at(1));
    await signInTimes(3, unknown, PASSWORD, context, at(1));

    expect(passwordChecks()).toBe(6);
    expect(dummyChecks()).toBe(6);
  });

  it("doubles the lock with each failure", async () => {
    const { email } = await createAccount();
    const context = contextFrom(freshIpv4());
    await signInTimes(6, email, "wrong password", context, START);

    // Each failure comes the moment the previous lock ends.
    const second = await signInTimes(2, email, "wrong password", context, at(60));
    const third = await signInTimes(2, email, "wrong password", context, at(60 + 120));

    expect(second[1]).toEqual({ ok: false, retryAfterSeconds: 120 });
    expect(third[1]).toEqual({ ok: false, retryAfterSeconds: 240 });
  });

  it("caps the lock at an hour", async () => {
    const { email } = await createAccount();
    const context = contextFrom(freshIpv4());
    const lockSeconds: number[] = [];
    let now = START;

    // Each failure comes the moment the previous lock ends.
    for (let i = 0; i < 13; i += 1) {
      await signIn(database.db, { email, password: "wrong password" }, context, { now });
      const lockedUntil = (await throttleRow(`account:${email}`))?.lockedUntil;
      if (lockedUntil) {
        lockSeconds.push((lockedUntil.getTime() - now.getTime()) / 1000);
        now = lockedUntil;
      }
    }

    expect(lockSeconds).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
  });

  it("starts over after a success", async () => {
    const { email } = await createAccount();
    const context = contextFrom(freshIpv4());
    await signInTimes(5, email, "wrong password", context, START);

    const success = await signIn(database.db, { email, password: PASSWORD }, context, {
      now: at(1),
    });
    const again = await signInTimes(6, email, "wrong password", context, at(2));

    expect(success.ok).toBe(true);
    expect(again.every((result) => result.ok === false && !("retryAfterSeconds" in result))).toBe(
      true,
    );
    expect((await throttleRow(`account:${email}`))?.failures).toBe(6);
  });

  it("treats unknown emails like known ones", async () => {
    const { email } = await createAccount();
    const unknown = uniqueEmail("nobody");

    const known = await signInTimes(8, email, "wrong password", contextFrom(freshIpv4()), START);
    const stranger = await signInTimes(8, unknown, "wrong", contextFrom(freshIpv4()), START);

    expect(stranger).toEqual(known);
    expect(known[7]).toEqual({ ok: false, retryAfterSeconds: 60 });
  });

  it("counts emails in any letter case as one", async () => {
    const { email } = await createAccount();
    const context = contextFrom(freshIpv4());
    await signInTimes(6, email.toUpperCase(), "wrong password", context, START);

    const result = await signIn(database.db, { email, password: PASSWORD }, context, {
      now: at(1),
    });

    expect(result).toEqual({ ok: false, retryAfterSeconds: 59 });
  });

  it("locks an address after twenty failures", async () => {
    const context = contextFrom(freshIpv4());
    const limit = ipLimit(context.ip);
    if (!limit) throw new Error("test address is not an IP address");
    for (let i = 0; i < 20; i += 1) await reserveAttempt(database.db, [limit], { now: START });
    const { email } = await createAccount();

    const last = await signIn(database.db, { email, password: "wrong" }, context, { now: START });
    const locked = await signIn(database.db, { email, password: PASSWORD }, context, {
      now: at(1),
    });
    const elsewhere = await signIn(
      database.db,
      { email, password: PASSWORD },
      contextFrom(freshIpv4()),
      { now: at(1) },
    );

    expect(last).toEqual({ ok: false });
    expect(locked).toEqual({ ok: false, retryAfterSeconds: 59 });
    expect(elsewhere.ok).toBe(true);
  });

  it("groups IPv6 addresses by /64", async () => {
    const prefix = freshIpv6Prefix();
    const limit = ipLimit(`${prefix}::1`);
    if (!limit) throw new Error("test address is not an IP address");
    for (let i = 0; i < 21; i += 1) await reserveAttempt(database.db, [limit], { now: START });
    const { email } = await createAccount();

    const sameNetwork = await signIn(
      database.db,
      { email, password: PASSWORD },
      contextFrom(`${prefix}:ffff:eeee:dddd:cccc`),
      { now: at(1) },
    );
    const nextNetwork = await signIn(
      database.db,
      { email, password: PASSWORD },
      contextFrom(`${freshIpv6Prefix()}::1`),
      { now: at(1) },
    );

    expect(sameNetwork).toEqual({ ok: false, retryAfterSeconds: 59 });
    expect(nextNetwork.ok).toBe(true);
  });

  it("keeps the address count after a success", async () => {
    const { email } = await createAccount();
    const context = contextFrom(freshIpv4());
    await signInTimes(3, uniqueEmail("nobody"), "wrong", context, START);

    await signInTimes(1, email, PASSWORD, context, at(1));

    expect((await throttleRow(`ip:${context.ip}`))?.failures).toBe(3);
  });

  it("counts 50 concurrent failures exactly", async () => {
    const { email, userId } = await createAccount();
    const context = contextFrom(freshIpv4());

    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        signIn(database.db, { email, password: "wrong password" }, context, { now: START }),
      ),
    );

    expect(results.filter((result) => !("retryAfterSeconds" in result))).toHaveLength(6);
    expect(results.filter((result) => "retryAfterSeconds" in result)).toHaveLength(44);
    expect(passwordChecks()).toBe(6);
    expect((await throttleRow(`account:${email}`))?.failures).toBe(6);
    expect((await throttleRow(`ip:${context.ip}`))?.failures).toBe(6);
    const events = await failureEvents(userId);
    expect(events.filter((event) => event.detail === null)).toHaveLength(6);
    expect(events.filter((event) => event.detail?.reason === "throttled")).toHaveLength(1);
  });

  it("records one event per lock", async () => {
    const { email, userId } = await createAccount();
    const context = contextFrom(freshIpv4());
    await signInTimes(6, email, "wrong password", context, START);

    await signInTimes(5, email, "wrong password", context, at(1));

    const events = await failureEvents(userId);
    expect(events).toHaveLength(7);
    expect(events.filter((event) => event.detail !== null)).toEqual([
      { detail: { reason: "throttled", limit: "account" } },
    ]);
  });
});

describe("signIn sessions", () => {
  async function sessionRow(sessionId: string) {
    const [row] = await database.db
      .select({ status: sessions.status, endReason: sessions.endReason })
      .from(sessions)
      .where(eq(sessions.id, sessionId));
    return row;
  }

  it("creates a new id and secret each time", async () => {
    const { email, sessionId, secret } = await createAccount();
    const context = contextFrom(freshIpv4());

    const first = await signIn(database.db, { email, password: PASSWORD }, context);
    const second = await signIn(database.db, { email, password: PASSWORD }, context);

    if (!first.ok || !second.ok) throw new Error("sign-in failed");
    const ids = [sessionId, first.session.subject.sessionId, second.session.subject.sessionId];
    const secrets = [secret, first.session.secret, second.session.secret];
    expect(new Set(ids).size).toBe(3);
    expect(new Set(secrets).size).toBe(3);
  });

  it("ends the session whose cookie it replaces", async () => {
    const previous = await createAccount();
    const { email } = await createAccount();

    const result = await signIn(
      database.db,
      { email, password: PASSWORD },
      contextFrom(freshIpv4()),
      { replacedSessionSecret: previous.secret },
    );

    expect(result.ok).toBe(true);
    expect(await sessionRow(previous.sessionId)).toEqual({
      status: "ended",
      endReason: "signed_out",
    });
    const signOuts = await database.db
      .select({ sessionId: securityEvents.sessionId })
      .from(securityEvents)
      .where(and(eq(securityEvents.userId, previous.userId), eq(securityEvents.type, "sign_out")));
    expect(signOuts).toEqual([{ sessionId: previous.sessionId }]);
  });

  it("keeps the old session when sign-in fails", async () => {
    const { email, sessionId, secret } = await createAccount();

    const result = await signIn(
      database.db,
      { email, password: "wrong password" },
      contextFrom(freshIpv4()),
      { replacedSessionSecret: secret },
    );

    expect(result).toEqual({ ok: false });
    expect(await sessionRow(sessionId)).toEqual({ status: "active", endReason: null });
  });

  it("ignores an unknown replaced secret", async () => {
    const { email, sessionId } = await createAccount();

    const result = await signIn(
      database.db,
      { email, password: PASSWORD },
      contextFrom(freshIpv4()),
      { replacedSessionSecret: "no-such-secret" },
    );

    expect(result.ok).toBe(true);
    expect(await sessionRow(sessionId)).toEqual({ status: "active", endReason: null });
  });
});
