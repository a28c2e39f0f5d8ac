import { randomBytes } from "node:crypto";

import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { securityEvents, signInThrottles } from "../db/schema";
import { setupTestDatabase, uniqueEmail } from "../db/test-database";
import type { RequestContext } from "../device/request-context";
import { changePassword, signIn, signUp } from "./accounts";
import { verifyPasswordForSession } from "./step-up";

const database = setupTestDatabase();
const PASSWORD = "correct horse battery";
// Whole seconds near the real time, as in accounts.test.ts.
const START = new Date(Math.floor(Date.now() / 1000) * 1000);

function at(seconds: number): Date {
  return new Date(START.getTime() + seconds * 1000);
}

function freshContext(): RequestContext {
  const [a = 0, b = 0, c = 0] = randomBytes(3);
  return { userAgent: "Mozilla/5.0 (X11; Linux x86_64)", ip: `10.${a}.${b}.${c}` };
}

async function createAccount() {
  const email = uniqueEmail("step-up");
  const created = await signUp(
    database.db,
    { email, displayName: "Ada", password: PASSWORD },
    freshContext(),
  );
  if (!created.ok) throw new Error("sign-up failed in test setup");
  return { email, subject: created.session.subject };
}

async function confirmTimes(
  subject: Awaited<ReturnType<typeof createAccount>>["subject"],
  times: number,
  password: string,
  now: Date,
) {
  const results = [];
  for (let i = 0; i < times; i += 1) {
    results.push(
      await verifyPasswordForSession(database.db, subject, password, freshContext(), { now }),
    );
  }
  return results;
}

describe("verifyPasswordForSession throttling", () => {
  it("locks after the account allowance", async () => {
    const { subject } = await createAccount();

    const results = await confirmTimes(subject, 7, "wrong password", START);
    const right = await verifyPasswordForSession(database.db, subject, PASSWORD, freshContext(), {
      now: at(1),
    });

    expect(
      results.slice(0, 6).every((result) => !result.ok && result.error === "wrong_password"),
    ).toBe(true);
    expect(results[6]).toEqual({ ok: false, error: "throttled", retryAfterSeconds: 60 });
    expect(right).toEqual({ ok: false, error: "throttled", retryAfterSeconds: 59 });
  });

  it("shares the lock with sign-in", async () => {
    const { email, subject } = await createAccount();
    await confirmTimes(subject, 6, "wrong password", START);

    const signInResult = await signIn(
      database.db,
      { email: email.toUpperCase(), password: PASSWORD },
      freshContext(),
      { now: at(1) },
    );

    expect(signInResult).toEqual({ ok: false, retryAfterSeconds: 59 });
  });

  it("is locked by sign-in failures", async () => {
    const { email, subject } = await createAccount();
    for (let i = 0; i < 6; i += 1) {
      await signIn(database.db, { email, password: "wrong" }, freshContext(), { now: START });
    }

    const result = await verifyPasswordForSession(database.db, subject, PASSWORD, freshContext(), {
      now: at(1),
    });

    expect(result).toEqual({ ok: false, error: "throttled", retryAfterSeconds: 59 });
  });

  it("clears the count on success", async () => {
    const { email, subject } = await createAccount();
    await confirmTimes(subject, 5, "wrong password", START);

    const result = await verifyPasswordForSession(database.db, subject, PASSWORD, freshContext(), {
      now: at(1),
    });

    expect(result.ok).toBe(true);
    const rows = await database.db
      .select()
      .from(signInThrottles)
      .where(eq(signInThrottles.key, `account:${email}`));
    expect(rows).toEqual([]);
  });

  it("records one throttled event per lock", async () => {
    const { subject } = await createAccount();
    await confirmTimes(subject, 6, "wrong password", START);

    await confirmTimes(subject, 3, PASSWORD, at(1));

    const events = await database.db
      .select({ detail: securityEvents.detail })
      .from(securityEvents)
      .where(
        and(eq(securityEvents.userId, subject.userId), eq(securityEvents.type, "sign_in_failed")),
      );
    expect(events).toHaveLength(7);
    expect(events.filter((event) => event.detail?.reason === "throttled")).toEqual([
      { detail: { step: "password_confirmation", reason: "throttled" } },
    ]);
  });

  it("throttles password changes", async () => {
    const { subject } = await createAccount();
    await confirmTimes(subject, 6, "wrong password", new Date());

    const result = await changePassword(
      database.db,
      subject,
      { current: PASSWORD, next: "a brand new passphrase" },
      freshContext(),
    );

    expect(result).toMatchObject({ ok: false, error: "throttled" });
  });
});
