import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { signIn, signUp } from "../auth/accounts";
import { endSession, refreshSession, type CreatedSession } from "../auth/sessions";
import { mintSessionToken } from "../auth/token";
import { memberships, sessions } from "../db/schema";
import { uniqueEmail, setupTestDatabase } from "../db/test-database";
import type { RequestContext } from "../device/request-context";
import {
  addMember,
  changeMemberRole,
  removeMember,
  switchOrganization,
} from "./membership-changes";
import { createOrganization, listMembers, listOrganizations } from "./organizations";

const database = setupTestDatabase();

const CONTEXT: RequestContext = { userAgent: "Mozilla/5.0 (X11; Linux x86_64)", ip: "127.0.0.1" };
const PASSWORD = "correct horse battery";
const LIMITS = { absoluteTimeoutSeconds: 7 * 24 * 60 * 60, idleTimeoutSeconds: 30 * 60 };

interface Account {
  email: string;
  userId: string;
  personalOrganizationId: string;
  session: CreatedSession;
}

async function createAccount(name = "Member"): Promise<Account> {
  const email = uniqueEmail(name.toLowerCase());
  const result = await signUp(
    database.db,
    { email, displayName: name, password: PASSWORD },
    CONTEXT,
  );
  if (!result.ok) throw new Error("sign-up failed in test setup");
  const { userId, activeOrganizationId } = result.session.subject;
  if (!activeOrganizationId) throw new Error("sign-up created no organization");
  return { email, userId, personalOrganizationId: activeOrganizationId, session: result.session };
}

async function newSession(email: string): Promise<CreatedSession> {
  const result = await signIn(database.db, { email, password: PASSWORD }, CONTEXT);
  if (!result.ok) throw new Error("sign-in failed in test setup");
  return result.session;
}

/** Creates an organization run by `admin`, with `member` added and switched into it on a new session. */
async function organizationWithMember() {
  const admin = await createAccount("Admin");
  const member = await createAccount("Member");
  const organizationId = admin.personalOrganizationId;
  const added = await addMember(database.db, {
    organizationId,
    actorUserId: admin.userId,
    email: member.email,
    context: CONTEXT,
  });
  expect(added).toEqual({ ok: true, updatedSessions: 0 });
  const memberSession = await newSession(member.email);
  const switched = await switchOrganization(database.db, {
    sessionId: memberSession.subject.sessionId,
    userId: member.userId,
    organizationId,
    context: CONTEXT,
  });
  expect(switched?.activeRole).toBe("member");
  return { admin, member, organizationId, memberSession };
}

async function readSession(sessionId: string) {
  const [row] = await database.db
    .select({
      activeOrganizationId: sessions.activeOrganizationId,
      activeRole: sessions.activeRole,
    })
    .from(sessions)
    .where(eq(sessions.id, sessionId));
  return row;
}

async function refresh(secret: string) {
  const result = await refreshSession(database.db, secret, { userActivity: false, limits: LIMITS });
  return result?.live ? result.subject : null;
}

describe("sign-up and sign-in", () => {
  it("sign-up makes a personal organization", async () => {
    const account = await createAccount("Ada");
    const organizations = await listOrganizations(database.db, account.userId);

    expect(organizations).toHaveLength(1);
    expect(organizations[0]?.name).toBe("Ada's workspace");
    expect(organizations[0]?.role).toBe("admin");
    expect(account.session.subject.activeRole).toBe("admin");
  });

  it("sign-in picks the last used organization", async () => {
    const { member, organizationId } = await organizationWithMember();
    const next = await newSession(member.email);

    expect(next.subject.activeOrganizationId).toBe(organizationId);
    expect(next.subject.activeRole).toBe("member");
  });
});

describe("switchOrganization", () => {
  it("changes nothing for a non-member", async () => {
    const outsider = await createAccount("Outsider");
    const other = await createAccount("Other");
    const before = await readSession(outsider.session.subject.sessionId);

    const switched = await switchOrganization(database.db, {
      sessionId: outsider.session.subject.sessionId,
      userId: outsider.userId,
      organizationId: other.personalOrganizationId,
      context: CONTEXT,
    });

    expect(switched).toBeNull();
    expect(await readSession(outsider.session.subject.sessionId)).toEqual(before);
  });

  it("changes only the current session", async () => {
    const { member, organizationId, memberSession } = await organizationWithMember();

    expect(await readSession(memberSession.subject.sessionId)).toEqual({
      activeOrganizationId: organizationId,
      activeRole: "member",
    });
    expect(await readSession(member.session.subject.sessionId)).toEqual({
      activeOrganizationId: member.personalOrganizationId,
      activeRole: "admin",
    });
  });

  it("ends in the state of the last switch", async () => {
    const { member, organizationId, memberSession } = await organizationWithMember();
    const targets = [member.personalOrganizationId, organizationId, member.personalOrganizationId];

    await Promise.all(
      targets.map((target) =>
        switchOrganization(database.db, {
          sessionId: memberSession.subject.sessionId,
          userId: member.userId,
          organizationId: target,
          context: CONTEXT,
        }),
      ),
    );
    const finalSwitch = await switchOrganization(database.db, {
      sessionId: memberSession.subject.sessionId,
      userId: member.userId,
      organizationId,
      context: CONTEXT,
    });

    expect(finalSwitch?.activeOrganizationId).toBe(organizationId);
    // Organization and role always come from the same membership, never a mix of two.
    expect(await readSession(memberSession.subject.sessionId)).toEqual({
      activeOrganizationId: organizationId,
      activeRole: "member",
    });
  });
});

describe("changeMemberRole", () => {
  it("updates exactly the member's active sessions there", async () => {
    const { admin, member, organizationId, memberSession } = await organizationWithMember();
    const secondInOrganization = await newSession(member.email);
    const endedInOrganization = await newSession(member.email);
    await endSession(database.db, endedInOrganization.subject.sessionId);

    const result = await changeMemberRole(database.db, {
      organizationId,
      actorUserId: admin.userId,
      targetUserId: member.userId,
      role: "admin",
      context: CONTEXT,
    });

    expect(result).toEqual({ ok: true, updatedSessions: 2 });
    expect((await readSession(memberSession.subject.sessionId))?.activeRole).toBe("admin");
    expect((await readSession(secondInOrganization.subject.sessionId))?.activeRole).toBe("admin");
    // Ended sessions, the member's other organization and other users stay as they were.
    expect((await readSession(endedInOrganization.subject.sessionId))?.activeRole).toBe("member");
    expect(await readSession(member.session.subject.sessionId)).toEqual({
      activeOrganizationId: member.personalOrganizationId,
      activeRole: "admin",
    });
    expect((await readSession(admin.session.subject.sessionId))?.activeRole).toBe("admin");
    // The members list counts only sessions in this organization.
    const listed = await listMembers(database.db, organizationId);
    expect(listed.find((row) => row.userId === member.userId)?.activeSessions).toBe(2);
  });

  it("rejects a caller who is not an admin", async () => {
    const { admin, member, organizationId } = await organizationWithMember();
    const result = await changeMemberRole(database.db, {
      organizationId,
      actorUserId: member.userId,
      targetUserId: admin.userId,
      role: "member",
      context: CONTEXT,
    });

    expect(result).toEqual({ ok: false, error: "not_admin" });
    const [row] = await database.db
      .select({ role: memberships.role })
      .from(memberships)
      .where(
        and(eq(memberships.userId, admin.userId), eq(memberships.organizationId, organizationId)),
      );
    expect(row?.role).toBe("admin");
  });

  it("protects the last admin", async () => {
    const { admin, organizationId } = await organizationWithMember();
    const demote = await changeMemberRole(database.db, {
      organizationId,
      actorUserId: admin.userId,
      targetUserId: admin.userId,
      role: "member",
      context: CONTEXT,
    });
    const remove = await removeMember(database.db, {
      organizationId,
      actorUserId: admin.userId,
      targetUserId: admin.userId,
      context: CONTEXT,
    });

    expect(demote).toEqual({ ok: false, error: "last_admin" });
    expect(remove).toEqual({ ok: false, error: "last_admin" });
  });

  it("keeps one admin when two demote each other", async () => {
    const { admin, member, organizationId } = await organizationWithMember();
    await changeMemberRole(database.db, {
      organizationId,
      actorUserId: admin.userId,
      targetUserId: member.userId,
      role: "admin",
      context: CONTEXT,
    });

    const results = await Promise.all([
      changeMemberRole(database.db, {
        organizationId,
        actorUserId: admin.userId,
        targetUserId: member.userId,
        role: "member",
        context: CONTEXT,
      }),
      changeMemberRole(database.db, {
        organizationId,
        actorUserId: member.userId,
        targetUserId: admin.userId,
        role: "member",
        context: CONTEXT,
      }),
    ]);

    expect(results.filter((result) => result.ok)).toHaveLength(1);
    const admins = (await listMembers(database.db, organizationId)).filter(
      (row) => row.role === "admin",
    );
    expect(admins).toHaveLength(1);
  });

  it("never mints a role older than the last change", async () => {
    const { admin, member, organizationId, memberSession } = await organizationWithMember();
    const roles = ["admin", "member", "admin", "member", "admin", "member"] as const;

    for (const role of roles) {
      // A refresh racing the change may see either side of it...
      const [, racing] = await Promise.all([
        changeMemberRole(database.db, {
          organizationId,
          actorUserId: admin.userId,
          targetUserId: member.userId,
          role,
          context: CONTEXT,
        }),
        refresh(memberSession.secret),
      ]);
      expect(["admin", "member"]).toContain(racing?.activeRole);
      // ...but every refresh after the change committed returns it.
      const after = await refresh(memberSession.secret);
      expect(after?.activeRole).toBe(role);
      const token = await mintSessionToken(after ?? memberSession.subject);
      const claims = JSON.parse(
        Buffer.from(token.token.split(".")[1] ?? "", "base64url").toString(),
      );
      expect(claims.org_role).toBe(role);
    }
  });
});

describe("removeMember", () => {
  it("clears the organization from their sessions", async () => {
    const { admin, member, organizationId, memberSession } = await organizationWithMember();
    const result = await removeMember(database.db, {
      organizationId,
      actorUserId: admin.userId,
      targetUserId: member.userId,
      context: CONTEXT,
    });

    expect(result).toEqual({ ok: true, updatedSessions: 1 });
    const refreshed = await refresh(memberSession.secret);
    expect(refreshed?.activeOrganizationId).toBeNull();
    expect(refreshed?.activeRole).toBeNull();
    const { token } = await mintSessionToken(refreshed ?? memberSession.subject);
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString());
    expect(claims.org_id).toBeUndefined();
    expect(claims.org_role).toBeUndefined();
    // The member's own organization is untouched.
    expect((await readSession(member.session.subject.sessionId))?.activeRole).toBe("admin");
  });

  it("refuses to switch back after removal", async () => {
    const { admin, member, organizationId, memberSession } = await organizationWithMember();
    await removeMember(database.db, {
      organizationId,
      actorUserId: admin.userId,
      targetUserId: member.userId,
      context: CONTEXT,
    });

    const switched = await switchOrganization(database.db, {
      sessionId: memberSession.subject.sessionId,
      userId: member.userId,
      organizationId,
      context: CONTEXT,
    });
    expect(switched).toBeNull();
  });
});

describe("addMember", () => {
  it("reports unknown and duplicate emails", async () => {
    const { admin, member, organizationId } = await organizationWithMember();
    const unknown = await addMember(database.db, {
      organizationId,
      actorUserId: admin.userId,
      email: uniqueEmail("nobody"),
      context: CONTEXT,
    });
    const duplicate = await addMember(database.db, {
      organizationId,
      actorUserId: admin.userId,
      email: member.email.toUpperCase(),
      context: CONTEXT,
    });

    expect(unknown).toEqual({ ok: false, error: "user_not_found" });
    expect(duplicate).toEqual({ ok: false, error: "already_member" });
  });

  it("rejects a member adding people", async () => {
    const { member, organizationId } = await organizationWithMember();
    const stranger = await createAccount("Stranger");
    const result = await addMember(database.db, {
      organizationId,
      actorUserId: member.userId,
      email: stranger.email,
      context: CONTEXT,
    });
    expect(result).toEqual({ ok: false, error: "not_admin" });
  });
});

describe("token size", () => {
  it("stays under 1 KB in 300 organizations", async () => {
    const account = await createAccount("Busy");
    await database.db.transaction(async (tx) => {
      for (let i = 0; i < 299; i += 1) {
        await createOrganization(tx, account.userId, `Organization number ${i} with a long name`);
      }
    });
    const session = await newSession(account.email);
    const { token } = await mintSessionToken(session.subject);

    expect(await listOrganizations(database.db, account.userId)).toHaveLength(300);
    expect(session.subject.activeOrganizationId).not.toBeNull();
    expect(token.length).toBeLessThan(1024);
  });
});
