// Races between refreshes, and between a revocation and a refresh, on one session row. On
// Postgres the statements run on up to ten pooled connections at once; PGlite runs them one
// after another, which still checks that every call ends without an error.

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { sessions } from "../db/schema";
import { setupTestDatabase, uniqueEmail } from "../db/test-database";
import type { RequestContext } from "../device/request-context";
import { signUp } from "./accounts";
import { createSession, refreshSession, revokeSession } from "./sessions";

const database = setupTestDatabase();

const LIMITS = { absoluteTimeoutSeconds: 7 * 24 * 60 * 60, idleTimeoutSeconds: 30 * 60 };
const CONTEXT: RequestContext = {
  userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  ip: "127.0.0.1",
};
const RACES = 1_000;

async function createUser() {
  const result = await signUp(
    database.db,
    { email: uniqueEmail("races"), displayName: "Ada", password: "correct horse battery" },
    CONTEXT,
  );
  if (!result.ok) throw new Error("sign-up failed in test setup");
  return result.session.subject;
}

describe("concurrent refreshes", () => {
  it("mint for all 1,000 refreshes of one session", async () => {
    const { userId } = await createUser();
    const { secret, subject } = await createSession(database.db, userId, CONTEXT);

    const results = await Promise.all(
      Array.from({ length: RACES }, (_, index) =>
        refreshSession(database.db, secret, { userActivity: index % 2 === 0, limits: LIMITS }),
      ),
    );

    const minted = results.filter((result) => result?.live === true);
    expect(minted).toHaveLength(RACES);
    for (const result of minted) {
      expect(result.live && result.subject.sessionId).toBe(subject.sessionId);
    }
    const [row] = await database.db
      .select({ status: sessions.status })
      .from(sessions)
      .where(eq(sessions.id, subject.sessionId));
    expect(row?.status).toBe("active");
  });
});

describe("revocation racing a refresh", () => {
  it("mints nothing once 1,000 revocations commit", async () => {
    const { userId, sessionId: currentSessionId } = await createUser();
    const targets = [];
    for (let index = 0; index < RACES; index += 1) {
      targets.push(await createSession(database.db, userId, CONTEXT));
    }

    const outcomes = await Promise.all(
      targets.map(async (target) => {
        const [revoked] = await Promise.all([
          revokeSession(database.db, {
            userId,
            currentSessionId,
            targetSessionId: target.subject.sessionId,
            reason: "revoked_by_user",
          }),
          refreshSession(database.db, target.secret, { userActivity: true, limits: LIMITS }),
        ]);
        // The revocation has committed; any refresh from now on must find the row revoked.
        const after = await refreshSession(database.db, target.secret, {
          userActivity: true,
          limits: LIMITS,
        });
        return { revoked, after };
      }),
    );

    expect(outcomes.filter((outcome) => outcome.revoked)).toHaveLength(RACES);
    expect(outcomes.filter((outcome) => outcome.after !== null)).toHaveLength(0);
    const statuses = await database.db
      .select({ status: sessions.status })
      .from(sessions)
      .where(eq(sessions.userId, userId));
    expect(statuses.filter((row) => row.status === "revoked")).toHaveLength(RACES);
    expect(statuses.filter((row) => row.status === "active")).toHaveLength(1);
  }, 120_000);
});
