import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { signUp } from "@/lib/auth/accounts";
import { endSession } from "@/lib/auth/sessions";
import { mintSessionToken } from "@/lib/auth/token";
import { verifySessionToken } from "@/lib/auth/token-verify";
import { sessions } from "@/lib/db/schema";
import { uniqueEmail, setupTestDatabase } from "@/lib/db/test-database";
import { withUnreachableDatabase } from "@/lib/db/unreachable-database";
import {
  APP_ORIGIN,
  buildRequest,
  HANDSHAKE_COOKIE,
  SESSION_COOKIE,
  TOKEN_COOKIE,
} from "@/test/requests";

import { GET } from "./route";

const database = setupTestDatabase();

async function createSession() {
  const result = await signUp(
    database.db,
    { email: uniqueEmail(), displayName: "Linus", password: "correct horse battery" },
    { userAgent: "test", ip: null },
  );
  if (!result.ok) throw new Error("sign-up failed in test setup");
  return result.session;
}

function handshake(
  returnTo: string,
  cookies: Record<string, string>,
  fetchSite = "same-origin",
  extraQuery: Record<string, string> = {},
) {
  return GET(
    buildRequest(`/auth/handshake?${new URLSearchParams({ return_to: returnTo, ...extraQuery })}`, {
      cookies,
      headers: { "sec-fetch-site": fetchSite },
    }),
  );
}

describe("GET /auth/handshake", () => {
  it("mints a token and returns to the page", async () => {
    const session = await createSession();
    const response = await handshake("/account/security?x=1", { [SESSION_COOKIE]: session.secret });

    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("/account/security?x=1");
    const verified = await verifySessionToken(response.cookies.get(TOKEN_COOKIE)?.value);
    expect(verified.ok).toBe(true);
    expect(response.cookies.get(HANDSHAKE_COOKIE)?.maxAge).toBe(5);
  });

  it("never redirects off-site", async () => {
    const session = await createSession();
    const response = await handshake("//evil.example/x", { [SESSION_COOKIE]: session.secret });

    expect(response.headers.get("location")).toBe("/account/security");
  });

  it("returns at once when the token is already valid", async () => {
    const session = await createSession();
    const { token } = await mintSessionToken(session.subject);
    const response = await handshake("/account/security", {
      [SESSION_COOKIE]: session.secret,
      [TOKEN_COOKIE]: token,
      [HANDSHAKE_COOKIE]: "1",
    });

    expect(response.headers.get("location")).toBe("/account/security");
    expect(response.cookies.get(TOKEN_COOKIE)).toBeUndefined();
    expect(response.cookies.get(SESSION_COOKIE)).toBeUndefined();
  });

  it("counts only same-site navigations as activity", async () => {
    const session = await createSession();
    const lastActive = async () => {
      const [row] = await database.db
        .select({ lastActiveAt: sessions.lastActiveAt })
        .from(sessions)
        .where(eq(sessions.id, session.subject.sessionId));
      return row?.lastActiveAt.getTime();
    };
    const past = new Date(Date.now() - 10 * 60_000);
    await database.db
      .update(sessions)
      .set({ lastActiveAt: past })
      .where(eq(sessions.id, session.subject.sessionId));

    await handshake("/account/security", { [SESSION_COOKIE]: session.secret }, "cross-site");
    expect(await lastActive()).toBe(past.getTime());

    await handshake("/account/security", { [SESSION_COOKIE]: session.secret }, "same-origin");
    expect(await lastActive()).toBeGreaterThan(past.getTime());
  });

  it("shows a retrying page when the database is down", async () => {
    const session = await createSession();
    const response = await withUnreachableDatabase(() =>
      handshake("/organization?tab=<b>", { [SESSION_COOKIE]: session.secret }),
    );

    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("location")).toBeNull();
    expect(response.cookies.getAll()).toEqual([]);
    const html = await response.text();
    expect(html).toContain("Reconnecting…");
    expect(html).toContain(
      '<meta http-equiv="refresh" content="5; url=/auth/handshake?return_to=%2Forganization%3Ftab%3D%253Cb%253E&amp;retry=1">',
    );
    expect(html).not.toContain("<b>");
  });

  it("counts no automatic retry as activity", async () => {
    const session = await createSession();
    const lastActive = async () => {
      const [row] = await database.db
        .select({ lastActiveAt: sessions.lastActiveAt })
        .from(sessions)
        .where(eq(sessions.id, session.subject.sessionId));
      return row?.lastActiveAt.getTime();
    };
    const past = new Date(Date.now() - 10 * 60_000);
    await database.db
      .update(sessions)
      .set({ lastActiveAt: past })
      .where(eq(sessions.id, session.subject.sessionId));

    const response = await handshake(
      "/account/security",
      { [SESSION_COOKIE]: session.secret },
      "same-origin",
      { retry: "1" },
    );

    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("/account/security");
    expect(await lastActive()).toBe(past.getTime());
  });

  it("stops a loop on the second attempt", async () => {
    const session = await createSession();
    const response = await handshake("/account/security", {
      [SESSION_COOKIE]: session.secret,
      [HANDSHAKE_COOKIE]: "1",
    });

    const location = new URL(response.headers.get("location") ?? "", APP_ORIGIN);
    expect(location.pathname).toBe("/sign-in");
    expect(location.searchParams.get("reason")).toBe("handshake_failed");
    expect(response.cookies.get(SESSION_COOKIE)?.maxAge).toBe(0);
    expect(response.cookies.get(TOKEN_COOKIE)?.maxAge).toBe(0);
  });

  it("signs out an ended session", async () => {
    const session = await createSession();
    await endSession(database.db, session.subject.sessionId);
    const response = await handshake("/account/security", { [SESSION_COOKIE]: session.secret });

    const location = new URL(response.headers.get("location") ?? "", APP_ORIGIN);
    expect(location.pathname).toBe("/sign-in");
    expect(location.searchParams.get("reason")).toBe("session_ended");
    expect(response.cookies.get(TOKEN_COOKIE)?.value).toBe("");
  });
});
