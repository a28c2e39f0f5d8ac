import { afterEach, describe, expect, it, vi } from "vitest";

import { signUp } from "@/lib/auth/accounts";
import { createSession } from "@/lib/auth/sessions";
import { setupTestDatabase, uniqueEmail } from "@/lib/db/test-database";
import { createOrganization } from "@/lib/orgs/organizations";
import { buildRequest, SESSION_COOKIE } from "@/test/requests";

import { GET as edgeAlgorithms } from "./edge-algorithms/route";
import { GET as sessionFromDatabase } from "./session-db/route";
import { GET as sessionFromRedis } from "./session-redis/route";

const database = setupTestDatabase();

const CONTEXT = { userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0", ip: "127.0.0.1" };

afterEach(() => {
  vi.unstubAllEnvs();
});

async function createAdminSession() {
  const result = await signUp(
    database.db,
    { email: uniqueEmail("bench"), displayName: "Ada", password: "correct horse battery" },
    CONTEXT,
  );
  if (!result.ok) throw new Error("sign-up failed in test setup");
  const userId = result.session.subject.userId;
  const organization = await createOrganization(database.db, userId, "Bench test");
  const session = await createSession(database.db, userId, CONTEXT, {
    organizationId: organization.id,
    role: "admin",
  });
  return { secret: session.secret, sessionId: session.subject.sessionId, organization };
}

const withSession = (secret: string) =>
  buildRequest("/api/bench/x", { cookies: { [SESSION_COOKIE]: secret } });

// A deployment that does not opt in must not expose a single benchmark route.
describe("benchmark routes turned off", () => {
  it("answer 404 to a valid session", async () => {
    const { secret } = await createAdminSession();
    expect((await sessionFromDatabase(withSession(secret))).status).toBe(404);
    expect((await sessionFromRedis(withSession(secret))).status).toBe(404);
  });

  it("answer 404 for the edge check", async () => {
    expect((await edgeAlgorithms()).status).toBe(404);
  });

  it("stay off for values other than 1", async () => {
    vi.stubEnv("TESSERA_BENCH_ROUTES", "true");
    const { secret } = await createAdminSession();
    expect((await sessionFromDatabase(withSession(secret))).status).toBe(404);
  });
});

describe("session-db route turned on", () => {
  it("allows a live session from its row", async () => {
    vi.stubEnv("TESSERA_BENCH_ROUTES", "1");
    const { secret, sessionId, organization } = await createAdminSession();
    const response = await sessionFromDatabase(withSession(secret));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      allowed: true,
      required: "member",
      organizationId: organization.id,
      role: "admin",
      sessionId,
    });
  });

  it("rejects an unknown secret", async () => {
    vi.stubEnv("TESSERA_BENCH_ROUTES", "1");
    const response = await sessionFromDatabase(withSession("not-a-session-secret"));
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("signed_out");
  });

  it("rejects a session without an organization", async () => {
    vi.stubEnv("TESSERA_BENCH_ROUTES", "1");
    const result = await signUp(
      database.db,
      { email: uniqueEmail("bench"), displayName: "Bo", password: "correct horse battery" },
      CONTEXT,
    );
    if (!result.ok) throw new Error("sign-up failed in test setup");
    const session = await createSession(database.db, result.session.subject.userId, CONTEXT);
    const response = await sessionFromDatabase(withSession(session.secret));
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe("no_organization");
  });
});

describe("session-redis route turned on", () => {
  it("rejects a request without a cookie", async () => {
    vi.stubEnv("TESSERA_BENCH_ROUTES", "1");
    const response = await sessionFromRedis(buildRequest("/api/bench/session-redis"));
    expect(response.status).toBe(401);
  });
});
