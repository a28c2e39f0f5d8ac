import { describe, expect, it } from "vitest";

import { signUp } from "@/lib/auth/accounts";
import { revokeSession } from "@/lib/auth/sessions";
import { verifySessionToken } from "@/lib/auth/token-verify";
import { uniqueEmail, setupTestDatabase } from "@/lib/db/test-database";
import { withUnreachableDatabase } from "@/lib/db/unreachable-database";
import { buildRequest, SESSION_COOKIE, TOKEN_COOKIE } from "@/test/requests";

import { POST } from "./route";

const database = setupTestDatabase();

const CONTEXT = { userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0", ip: "127.0.0.1" };

async function createSessionSecret() {
  const result = await signUp(
    database.db,
    { email: uniqueEmail(), displayName: "Grace", password: "correct horse battery" },
    CONTEXT,
  );
  if (!result.ok) throw new Error("sign-up failed in test setup");
  return result.session;
}

function refreshRequest(secret: string | undefined, headers: Record<string, string>, body = "") {
  return buildRequest("/api/auth/refresh", {
    method: "POST",
    cookies: secret ? { [SESSION_COOKIE]: secret } : {},
    headers,
    body,
  });
}

const SAME_ORIGIN = { "sec-fetch-site": "same-origin" };

describe("POST /api/auth/refresh", () => {
  it("mints a token for an active session", async () => {
    const session = await createSessionSecret();
    const response = await POST(refreshRequest(session.secret, SAME_ORIGIN, '{"activity":true}'));

    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toMatchObject({
      expiresIn: 60,
      sessionId: session.subject.sessionId,
      organizationId: session.subject.activeOrganizationId,
      role: "admin",
    });
    // The activity just reported restarts the 30-minute idle limit.
    expect(body.idleExpiresIn).toBeGreaterThanOrEqual(30 * 60 - 5);
    expect(body.idleExpiresIn).toBeLessThanOrEqual(30 * 60);
    const cookie = response.cookies.get(TOKEN_COOKIE);
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("lax");
    expect(cookie?.maxAge).toBe(60);
    const verified = await verifySessionToken(cookie?.value);
    expect(verified.ok).toBe(true);
    expect(verified.ok ? verified.claims.sid : null).toBe(session.subject.sessionId);
  });

  it("accepts a matching Origin without Sec-Fetch-Site", async () => {
    const session = await createSessionSecret();
    const response = await POST(
      refreshRequest(session.secret, { origin: "http://127.0.0.1:3000" }),
    );
    expect(response.status).toBe(200);
  });

  it.each([
    ["cross-site fetch", { "sec-fetch-site": "cross-site" }],
    ["same-site subdomain", { "sec-fetch-site": "same-site" }],
    ["foreign Origin", { origin: "https://evil.example" }],
    ["Origin null", { origin: "null" }],
    ["no origin headers", {}],
  ])("refuses a %s", async (_case, headers: Record<string, string>) => {
    const session = await createSessionSecret();
    const response = await POST(refreshRequest(session.secret, headers));

    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe("cross_site_request");
    expect(response.cookies.get(TOKEN_COOKIE)).toBeUndefined();
  });

  it("answers 401 and clears cookies for a revoked session", async () => {
    const current = await createSessionSecret();
    const other = await createSessionSecret();
    await revokeSession(database.db, {
      userId: other.subject.userId,
      currentSessionId: "00000000-0000-4000-8000-000000000000",
      targetSessionId: other.subject.sessionId,
      reason: "revoked_by_user",
    });

    const refused = await POST(refreshRequest(other.secret, SAME_ORIGIN));
    const stillFine = await POST(refreshRequest(current.secret, SAME_ORIGIN));

    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe("session_ended");
    expect(refused.cookies.get(SESSION_COOKIE)?.maxAge).toBe(0);
    expect(refused.cookies.get(TOKEN_COOKIE)?.maxAge).toBe(0);
    expect(stillFine.status).toBe(200);
  });

  it("answers 503 and keeps cookies when the database is down", async () => {
    const session = await createSessionSecret();
    const response = await withUnreachableDatabase(() =>
      POST(refreshRequest(session.secret, SAME_ORIGIN, '{"activity":true}')),
    );

    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect((await response.json()).error.code).toBe("database_unavailable");
    expect(response.cookies.get(SESSION_COOKIE)).toBeUndefined();
    expect(response.cookies.get(TOKEN_COOKIE)).toBeUndefined();
  });

  it("refreshes again once the database is back", async () => {
    const session = await createSessionSecret();
    await withUnreachableDatabase(() => POST(refreshRequest(session.secret, SAME_ORIGIN)));

    const response = await POST(refreshRequest(session.secret, SAME_ORIGIN));
    expect(response.status).toBe(200);
  });

  it("answers 401 without a session cookie", async () => {
    const response = await POST(refreshRequest(undefined, SAME_ORIGIN));
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("signed_out");
  });

  it.each(['{"activity":"yes"}', "[1,2]", "not json"])(
    "rejects the malformed body %s",
    async (body) => {
      const session = await createSessionSecret();
      const response = await POST(refreshRequest(session.secret, SAME_ORIGIN, body));

      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("invalid_request_body");
    },
  );
});
