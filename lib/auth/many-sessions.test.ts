// One user with 1,000 active sessions: the devices page queries, a refresh and signing out
// everything else must still work, with bounded results where the page lists history.

import { describe, expect, it } from "vitest";

import { setupTestDatabase, uniqueEmail } from "../db/test-database";
import type { RequestContext } from "../device/request-context";
import { listSecurityActivity, SECURITY_ACTIVITY_LIMIT } from "../security-activity";
import { signUp } from "./accounts";
import { listDevices } from "./devices";
import { createSession, refreshSession, revokeOtherSessions } from "./sessions";

const database = setupTestDatabase();

const SESSION_COUNT = 1_000;
const LIMITS = { absoluteTimeoutSeconds: 7 * 24 * 60 * 60, idleTimeoutSeconds: 30 * 60 };
const USER_AGENTS = [
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "curl/8.5.0",
];

function contextFor(index: number): RequestContext {
  return {
    userAgent: USER_AGENTS[index % USER_AGENTS.length]!,
    // Private addresses, so no location lookup slows the setup down.
    ip: `10.0.${Math.floor(index / 250)}.${index % 250}`,
  };
}

describe("a user with 1,000 sessions", () => {
  it("lists, refreshes and signs out all of them", async () => {
    const account = await signUp(
      database.db,
      { email: uniqueEmail("many"), displayName: "Ada", password: "correct horse battery" },
      contextFor(0),
    );
    if (!account.ok) throw new Error("sign-up failed in test setup");
    const { userId, sessionId: currentSessionId } = account.session.subject;
    const created = [];
    for (let index = 1; index < SESSION_COUNT; index += 1) {
      created.push(await createSession(database.db, userId, contextFor(index)));
    }

    const devices = await listDevices(database.db, userId);
    const listed = devices.flatMap((device) => device.sessions);
    expect(listed).toHaveLength(SESSION_COUNT);
    expect(new Set(listed.map((session) => session.id)).size).toBe(SESSION_COUNT);

    const activity = await listSecurityActivity(database.db, userId);
    expect(activity.length).toBeLessThanOrEqual(SECURITY_ACTIVITY_LIMIT);

    const last = created.at(-1)!;
    const refreshed = await refreshSession(database.db, last.secret, {
      userActivity: true,
      limits: LIMITS,
    });
    expect(refreshed?.live).toBe(true);

    const revoked = await revokeOtherSessions(database.db, {
      userId,
      currentSessionId,
      reason: "revoked_by_user",
    });
    expect(revoked).toHaveLength(SESSION_COUNT - 1);
    expect(await listDevices(database.db, userId)).toHaveLength(1);
  }, 120_000);
});
