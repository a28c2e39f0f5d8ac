import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { organizations, sessions } from "../db/schema";
import { addMember, removeMember, switchOrganization } from "../orgs/membership-changes";
import { setupTestDatabase, uniqueEmail } from "../db/test-database";
import { changePassword, deleteAccount, signIn, signUp } from "./accounts";
import { endSession } from "./sessions";
import { isRecentlyVerified, verifyPasswordForSession } from "./step-up";

const database = setupTestDatabase();
const CONTEXT = { userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0", ip: "127.0.0.1" };
const PASSWORD = "correct horse battery";

async function accountWithThreeSessions() {
  const email = uniqueEmail("password");
  const created = await signUp(
    database.db,
    { email, displayName: "Pat", password: PASSWORD },
    CONTEXT,
  );
  if (!created.ok) throw new Error("sign-up failed in test setup");
  const others = [];
  for (let i = 0; i < 2; i += 1) {
    const result = await signIn(database.db, { email, password: PASSWORD }, CONTEXT);
    if (!result.ok) throw new Error("sign-in failed in test setup");
    others.push(result.session);
  }
  return { email, current: created.session, others };
}

async function statusOf(sessionId: string) {
  const [row] = await database.db
    .select({ status: sessions.status, endReason: sessions.endReason })
    .from(sessions)
    .where(eq(sessions.id, sessionId));
  return row;
}

describe("changePassword", () => {
  it("ends the other sessions and keeps this one", async () => {
    const { email, current, others } = await accountWithThreeSessions();

    const result = await changePassword(
      database.db,
      current.subject,
      { current: PASSWORD, next: "a brand new passphrase" },
      CONTEXT,
    );

    expect(result.ok).toBe(true);
    expect(result.ok ? result.signedOutSessions : null).toBe(2);
    expect(await statusOf(current.subject.sessionId)).toEqual({
      status: "active",
      endReason: null,
    });
    for (const other of others) {
      expect(await statusOf(other.subject.sessionId)).toEqual({
        status: "revoked",
        endReason: "password_changed",
      });
    }
    const oldPassword = await signIn(database.db, { email, password: PASSWORD }, CONTEXT);
    const newPassword = await signIn(
      database.db,
      { email, password: "a brand new passphrase" },
      CONTEXT,
    );
    expect(oldPassword.ok).toBe(false);
    expect(newPassword.ok).toBe(true);
  });

  it("changes nothing with a wrong current password", async () => {
    const { current, others } = await accountWithThreeSessions();
    const result = await changePassword(
      database.db,
      current.subject,
      { current: "not the password", next: "a brand new passphrase" },
      CONTEXT,
    );

    expect(result).toEqual({ ok: false, error: "wrong_password" });
    expect((await statusOf(others[0]?.subject.sessionId ?? ""))?.status).toBe("active");
  });
});

describe("step-up verification", () => {
  it("is recent only inside the window", () => {
    const verifiedAt = new Date("2026-12-04T10:00:00Z");
    const at = (seconds: number) => new Date(verifiedAt.getTime() + seconds * 1000);

    expect(isRecentlyVerified({ lastVerifiedAt: verifiedAt }, 600, at(599))).toBe(true);
    expect(isRecentlyVerified({ lastVerifiedAt: verifiedAt }, 600, at(600))).toBe(false);
    expect(isRecentlyVerified({ lastVerifiedAt: verifiedAt }, 0, at(0))).toBe(false);
  });

  it("moves the verification time on a correct password", async () => {
    const { current } = await accountWithThreeSessions();
    const old = new Date(Date.now() - 60 * 60_000);
    await database.db
      .update(sessions)
      .set({ lastVerifiedAt: old })
      .where(eq(sessions.id, current.subject.sessionId));
    const stale = { ...current.subject, lastVerifiedAt: old };

    expect(await verifyPasswordForSession(database.db, stale, "wrong guess", CONTEXT)).toEqual({
      ok: false,
      error: "wrong_password",
    });
    const confirmation = await verifyPasswordForSession(database.db, stale, PASSWORD, CONTEXT);
    const verified = confirmation.ok ? confirmation.subject : stale;

    expect(verified.lastVerifiedAt.getTime()).toBeGreaterThan(Date.now() - 10_000);
    expect(isRecentlyVerified(verified, 600)).toBe(true);
  });
});

describe("deleteAccount", () => {
  it("removes the user and their own organization", async () => {
    const { email, current } = await accountWithThreeSessions();
    const organizationId = current.subject.activeOrganizationId ?? "";

    const result = await deleteAccount(database.db, current.subject.userId);

    expect(result).toEqual({ ok: true, deletedOrganizations: 1 });
    expect(await statusOf(current.subject.sessionId)).toBeUndefined();
    const [organization] = await database.db
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.id, organizationId));
    expect(organization).toBeUndefined();
    expect((await signIn(database.db, { email, password: PASSWORD }, CONTEXT)).ok).toBe(false);
  });

  // Regression: a former member's ended session still named the organization, and deleting
  // it broke the sessions check constraint, rolling the whole deletion back.
  it("deletes an organization a former member's session names", async () => {
    const owner = await accountWithThreeSessions();
    const former = await accountWithThreeSessions();
    const organizationId = owner.current.subject.activeOrganizationId ?? "";
    const ownerId = owner.current.subject.userId;
    await addMember(database.db, {
      organizationId,
      actorUserId: ownerId,
      email: former.email,
      context: CONTEXT,
    });
    const visit = former.others[0]?.subject;
    if (!visit) throw new Error("missing session in test setup");
    await switchOrganization(database.db, {
      sessionId: visit.sessionId,
      userId: visit.userId,
      organizationId,
      context: CONTEXT,
    });
    await endSession(database.db, visit.sessionId);
    await removeMember(database.db, {
      organizationId,
      actorUserId: ownerId,
      targetUserId: visit.userId,
      context: CONTEXT,
    });

    const result = await deleteAccount(database.db, ownerId);

    expect(result).toEqual({ ok: true, deletedOrganizations: 1 });
    expect(await statusOf(visit.sessionId)).toEqual({ status: "ended", endReason: "signed_out" });
  });

  it("refuses while the only admin of a shared organization", async () => {
    const owner = await accountWithThreeSessions();
    const member = await accountWithThreeSessions();
    const organizationId = owner.current.subject.activeOrganizationId ?? "";
    await addMember(database.db, {
      organizationId,
      actorUserId: owner.current.subject.userId,
      email: member.email,
      context: CONTEXT,
    });

    const result = await deleteAccount(database.db, owner.current.subject.userId);

    expect(result).toEqual({ ok: false, error: "last_admin", organizationName: "Pat's workspace" });
    expect((await statusOf(owner.current.subject.sessionId))?.status).toBe("active");
  });
});
