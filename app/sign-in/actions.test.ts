import { randomBytes } from "node:crypto";

import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { signUp } from "@/lib/auth/accounts";
import { readSessionSecret, setSessionCookie } from "@/lib/auth/cookies";
import { hashSessionSecret } from "@/lib/auth/secret";
import { accountLimit, reserveAttempt } from "@/lib/auth/throttle";
import { sessions } from "@/lib/db/schema";
import { setupTestDatabase, uniqueEmail } from "@/lib/db/test-database";

import { signInAction } from "./actions";

// The request the action runs in: its cookies, its headers, and redirect() as a throw.
const request = vi.hoisted(() => {
  class Redirected extends Error {
    constructor(readonly url: string) {
      super(`redirected to ${url}`);
    }
  }
  const values = new Map<string, string>();
  const cookies = {
    values,
    get(name: string) {
      const value = values.get(name);
      return value === undefined ? undefined : { name, value };
    },
    set(name: string, value: string) {
      values.set(name, value);
    },
  };
  return { cookies, headers: new Headers(), Redirected };
});

vi.mock("next/headers", () => ({
  cookies: async () => request.cookies,
  headers: async () => request.headers,
}));

vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw new request.Redirected(url);
  },
}));

vi.mock("next/server", () => ({ after: vi.fn() }));

const database = setupTestDatabase();
const PASSWORD = "correct horse battery";

function freshIpv4(): string {
  const [a = 0, b = 0, c = 0] = randomBytes(3);
  return `10.${a}.${b}.${c}`;
}

function signInForm(email: string, password: string): FormData {
  const form = new FormData();
  form.set("email", email);
  form.set("password", password);
  form.set("return_to", "/account/security");
  return form;
}

async function submit(email: string, password: string) {
  return signInAction({ email: "" }, signInForm(email, password));
}

async function createAccount() {
  const email = uniqueEmail("sign-in-action");
  const created = await signUp(
    database.db,
    { email, displayName: "Ada", password: PASSWORD },
    { userAgent: "test", ip: freshIpv4() },
  );
  if (!created.ok) throw new Error("sign-up failed in test setup");
  return { email, session: created.session };
}

beforeEach(() => {
  request.cookies.values.clear();
  request.headers = new Headers({
    "user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "x-forwarded-for": freshIpv4(),
  });
});

describe("signInAction", () => {
  it("rejects a wrong password generically", async () => {
    const { email } = await createAccount();

    const state = await submit(email, "wrong password");

    expect(state).toEqual({ email, error: "Email or password is incorrect." });
  });

  it("shows the wait when throttled", async () => {
    const { email } = await createAccount();
    for (let i = 0; i < 6; i += 1) await submit(email, "wrong password");

    const state = await submit(email, PASSWORD);

    expect(state).toEqual({ email, error: "Too many attempts. Try again in 1 minute." });
  });

  it("words longer waits in minutes", async () => {
    const email = uniqueEmail("nobody");
    const now = Date.now();
    // Six failures a minute ago, then a seventh now: a two-minute lock.
    for (let i = 0; i < 6; i += 1) {
      await reserveAttempt(database.db, [accountLimit(email)], { now: new Date(now - 61_000) });
    }
    await reserveAttempt(database.db, [accountLimit(email)], { now: new Date(now) });

    const state = await submit(email, PASSWORD);

    expect(state).toEqual({ email, error: "Too many attempts. Try again in 2 minutes." });
  });

  it("replaces an existing session cookie", async () => {
    const previous = await createAccount();
    const { email } = await createAccount();
    setSessionCookie(request.cookies, previous.session.secret, 60);

    await expect(submit(email, PASSWORD)).rejects.toThrow(request.Redirected);

    const secret = readSessionSecret(request.cookies);
    expect(secret).toBeDefined();
    expect(secret).not.toBe(previous.session.secret);
    const [current] = await database.db
      .select({ id: sessions.id, status: sessions.status })
      .from(sessions)
      .where(eq(sessions.secretHash, hashSessionSecret(secret ?? "")));
    expect(current?.status).toBe("active");
    expect(current?.id).not.toBe(previous.session.subject.sessionId);
    const [old] = await database.db
      .select({ status: sessions.status, endReason: sessions.endReason })
      .from(sessions)
      .where(eq(sessions.id, previous.session.subject.sessionId));
    expect(old).toEqual({ status: "ended", endReason: "signed_out" });
  });
});
