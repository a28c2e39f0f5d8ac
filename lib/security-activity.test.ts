import { randomInt } from "node:crypto";

import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { changePassword, signIn, signUp } from "./auth/accounts";
import { renameSession } from "./auth/devices";
import { endSession } from "./auth/sessions";
import { verifyPasswordForSession } from "./auth/step-up";
import { securityEvents } from "./db/schema";
import { setupTestDatabase, uniqueEmail } from "./db/test-database";
import type { RequestContext } from "./device/request-context";
import {
  addMember,
  changeMemberRole,
  removeMember,
  switchOrganization,
} from "./orgs/membership-changes";
import { setOrganizationLimits } from "./orgs/session-policy";
import { listSecurityActivity } from "./security-activity";
import { recordSecurityEvent } from "./security-events";

const database = setupTestDatabase();

const PASSWORD = "correct horse battery";
// A random documentation address per run, so the failed sign-ins below never add up to the
// per-address sign-in limit across runs that share one Postgres database.
const MEMBER_IP = `203.0.113.${randomInt(1, 255)}`;
const MEMBER_LAPTOP: RequestContext = {
  userAgent:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  ip: MEMBER_IP,
};
const SAFARI_ON_MAC =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
const ADMIN_LAPTOP: RequestContext = {
  userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  ip: "198.51.100.99",
};

async function createAccount(name: string, context = MEMBER_LAPTOP) {
  const email = uniqueEmail(name.toLowerCase());
  const result = await signUp(
    database.db,
    { email, displayName: name, password: PASSWORD },
    context,
  );
  if (!result.ok) throw new Error("sign-up failed in test setup");
  const { userId, activeOrganizationId } = result.session.subject;
  if (!activeOrganizationId) throw new Error("sign-up created no organization");
  return { email, userId, organizationId: activeOrganizationId, session: result.session };
}

async function descriptions(userId: string) {
  return (await listSecurityActivity(database.db, userId)).map((entry) => entry.description);
}

describe("listSecurityActivity", () => {
  it("lists the caller's events, newest first", async () => {
    const account = await createAccount("Ada");
    const second = await signIn(
      database.db,
      { email: account.email, password: PASSWORD },
      MEMBER_LAPTOP,
    );
    if (!second.ok) throw new Error("sign-in failed in test setup");
    await signIn(database.db, { email: account.email, password: "wrong password" }, MEMBER_LAPTOP);
    await endSession(database.db, second.session.subject.sessionId);
    await recordSecurityEvent(database.db, {
      type: "sign_out",
      userId: account.userId,
      sessionId: second.session.subject.sessionId,
      context: MEMBER_LAPTOP,
    });

    const activity = await listSecurityActivity(database.db, account.userId);

    expect(activity.map((entry) => entry.description)).toEqual([
      "Signed out",
      "Failed sign-in attempt",
      "Signed in",
      "Account created",
    ]);
    const times = activity.map((entry) => entry.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("returns device, IP and time", async () => {
    const account = await createAccount("Ada");

    const [entry] = await listSecurityActivity(database.db, account.userId);

    expect(entry).toEqual({
      id: expect.any(String),
      type: "sign_up",
      description: "Account created",
      device: { browser: "Chrome", os: "macOS", deviceType: "desktop" },
      ip: MEMBER_IP,
      // 203.0.113.0/24 is reserved for documentation, so no location database lists it.
      location: null,
      newDevice: false,
      newCountry: false,
      createdAt: expect.any(Date),
    });
  });

  it("leaves out other users' events", async () => {
    const owner = await createAccount("Owner");
    const stranger = await createAccount("Stranger");
    await signIn(database.db, { email: stranger.email, password: PASSWORD }, ADMIN_LAPTOP);

    const activity = await listSecurityActivity(database.db, owner.userId);

    expect(activity.map((entry) => entry.type)).toEqual(["sign_up"]);
  });

  it("leaves out unknown-email failures", async () => {
    const account = await createAccount("Ada");
    const unknownEmail = uniqueEmail("nobody");
    await signIn(database.db, { email: unknownEmail, password: PASSWORD }, MEMBER_LAPTOP);
    const [anonymous] = await database.db
      .select({ id: securityEvents.id })
      .from(securityEvents)
      .where(and(eq(securityEvents.type, "sign_in_failed"), isNull(securityEvents.userId)))
      .limit(1);

    const activity = await listSecurityActivity(database.db, account.userId);

    expect(anonymous).toBeDefined();
    expect(activity.map((entry) => entry.id)).not.toContain(anonymous?.id);
    expect(activity.map((entry) => entry.type)).toEqual(["sign_up"]);
  });

  it("names organizations in membership events", async () => {
    const admin = await createAccount("Admin", ADMIN_LAPTOP);
    const member = await createAccount("Member");
    const change = { organizationId: admin.organizationId, actorUserId: admin.userId };
    await addMember(database.db, { ...change, email: member.email, context: ADMIN_LAPTOP });
    await switchOrganization(database.db, {
      sessionId: member.session.subject.sessionId,
      userId: member.userId,
      organizationId: admin.organizationId,
      context: MEMBER_LAPTOP,
    });
    await changeMemberRole(database.db, {
      ...change,
      targetUserId: member.userId,
      role: "admin",
      context: ADMIN_LAPTOP,
    });
    await removeMember(database.db, {
      ...change,
      targetUserId: member.userId,
      context: ADMIN_LAPTOP,
    });

    expect(await descriptions(member.userId)).toEqual([
      "Removed from Admin's workspace by an administrator",
      "Role changed from member to admin in Admin's workspace by an administrator",
      "Switched to Admin's workspace",
      "Added to Admin's workspace by an administrator",
      "Account created",
    ]);
  });

  it("hides the admin's device and IP", async () => {
    const admin = await createAccount("Admin", ADMIN_LAPTOP);
    const member = await createAccount("Member");
    await addMember(database.db, {
      organizationId: admin.organizationId,
      actorUserId: admin.userId,
      email: member.email,
      context: ADMIN_LAPTOP,
    });

    const activity = await listSecurityActivity(database.db, member.userId);
    const added = activity.find((entry) => entry.type === "member_added");

    expect(added?.device).toBeNull();
    expect(added?.ip).toBeNull();
    const serialized = JSON.stringify(activity);
    expect(serialized).not.toContain(admin.userId);
    expect(serialized).not.toContain(admin.email);
    expect(serialized).not.toContain(ADMIN_LAPTOP.ip);
    expect(serialized).not.toContain("Firefox");
  });

  it("shows the device of the admin's own change", async () => {
    const owner = await createAccount("Owner");
    const colleague = await createAccount("Colleague");
    const change = { organizationId: owner.organizationId, actorUserId: owner.userId };
    await addMember(database.db, { ...change, email: colleague.email, context: MEMBER_LAPTOP });
    await changeMemberRole(database.db, {
      ...change,
      targetUserId: colleague.userId,
      role: "admin",
      context: MEMBER_LAPTOP,
    });
    // With a second admin in place, the owner may step down.
    await changeMemberRole(database.db, {
      ...change,
      targetUserId: owner.userId,
      role: "member",
      context: MEMBER_LAPTOP,
    });

    const [stepDown] = await listSecurityActivity(database.db, owner.userId);

    expect(stepDown?.description).toBe("Role changed from admin to member in Owner's workspace");
    expect(stepDown?.ip).toBe(MEMBER_LAPTOP.ip);
    expect(stepDown?.device?.browser).toBe("Chrome");
  });

  it("survives a malformed organization id", async () => {
    const account = await createAccount("Ada");
    await recordSecurityEvent(database.db, {
      type: "organization_switched",
      userId: account.userId,
      context: MEMBER_LAPTOP,
      detail: { organizationId: "not-a-uuid" },
    });

    expect(await descriptions(account.userId)).toEqual([
      "Switched to an organization",
      "Account created",
    ]);
  });

  it("describes expired sessions", async () => {
    const account = await createAccount("Ada");
    await recordSecurityEvent(database.db, {
      type: "session_expired",
      userId: account.userId,
      sessionId: account.session.subject.sessionId,
      context: MEMBER_LAPTOP,
      detail: { reason: "idle_timeout" },
    });

    const [entry] = await listSecurityActivity(database.db, account.userId);

    expect(entry?.description).toBe("Session expired after inactivity");
  });

  it("describes password and policy events", async () => {
    const account = await createAccount("Ada");
    const subject = account.session.subject;
    await verifyPasswordForSession(database.db, subject, "wrong password", MEMBER_LAPTOP);
    await verifyPasswordForSession(database.db, subject, PASSWORD, MEMBER_LAPTOP);
    const changed = await changePassword(
      database.db,
      subject,
      { current: PASSWORD, next: "another long passphrase" },
      MEMBER_LAPTOP,
    );
    await setOrganizationLimits(database.db, {
      organizationId: account.organizationId,
      actorUserId: account.userId,
      limits: { absoluteTimeoutSeconds: 3600, idleTimeoutSeconds: null },
      context: MEMBER_LAPTOP,
    });

    expect(changed.ok).toBe(true);
    expect(await descriptions(account.userId)).toEqual([
      "Session policy changed in Ada's workspace",
      "Password changed",
      "Password confirmed",
      "Password confirmed",
      "Wrong password when confirming an action",
      "Account created",
    ]);
  });

  it("marks new sign-ins", async () => {
    const account = await createAccount("Ada");
    const sessionId = account.session.subject.sessionId;
    const signIns: Record<string, string>[] = [
      {},
      { newDevice: "true", newCountry: "true" },
      { newCountry: "true" },
      { newDevice: "true" },
    ];
    for (const detail of signIns) {
      await recordSecurityEvent(database.db, {
        type: "sign_in",
        userId: account.userId,
        sessionId,
        context: MEMBER_LAPTOP,
        detail,
      });
    }

    const activity = await listSecurityActivity(database.db, account.userId);
    // Events recorded within one clock tick may come back in any order, so the flags are
    // compared sorted.
    const flags = activity
      .filter((entry) => entry.type === "sign_in")
      .map((entry) => `device ${entry.newDevice}, country ${entry.newCountry}`)
      .sort();

    expect(flags).toEqual([
      "device false, country false",
      "device false, country true",
      "device true, country false",
      "device true, country true",
    ]);
  });

  it("marks only sign-ins as new", async () => {
    const account = await createAccount("Ada");
    await recordSecurityEvent(database.db, {
      type: "sign_out",
      userId: account.userId,
      context: MEMBER_LAPTOP,
      detail: { newDevice: "true", newCountry: "true" },
    });

    const [entry] = await listSecurityActivity(database.db, account.userId);

    expect(entry?.type).toBe("sign_out");
    expect(entry?.newDevice).toBe(false);
    expect(entry?.newCountry).toBe(false);
  });

  it("describes renamed and reported sessions", async () => {
    const account = await createAccount("Ada");
    const event = {
      userId: account.userId,
      sessionId: account.session.subject.sessionId,
      context: MEMBER_LAPTOP,
    };
    await recordSecurityEvent(database.db, {
      ...event,
      type: "session_renamed",
      detail: { name: "Work laptop" },
    });
    await recordSecurityEvent(database.db, {
      ...event,
      type: "session_renamed",
      detail: { name: "" },
    });
    await recordSecurityEvent(database.db, { ...event, type: "session_reported" });

    // The three events may share one clock tick, so their order is not compared.
    expect((await descriptions(account.userId)).sort()).toEqual([
      "Account created",
      "Named a device “Work laptop”",
      "Removed the name of a device",
      "Reported a sign-in from Chrome on macOS as not yours and signed it out",
    ]);
  });

  it("labels a sign-in as its session does", async () => {
    // The sign-in form reported 0 touch points, so the session is a Mac, not an iPad.
    const mac: RequestContext = { userAgent: SAFARI_ON_MAC, ip: "203.0.113.8", maxTouchPoints: 0 };
    const account = await createAccount("Ada", mac);

    const [entry] = await listSecurityActivity(database.db, account.userId);

    expect(entry?.device).toEqual({ browser: "Safari", os: "macOS", deviceType: "desktop" });
  });

  it("parses the user agent without a session", async () => {
    const account = await createAccount("Ada");
    const safari: RequestContext = { userAgent: SAFARI_ON_MAC, ip: "203.0.113.8" };
    await signIn(database.db, { email: account.email, password: "wrong password" }, safari);

    const [failure] = await listSecurityActivity(database.db, account.userId);

    expect(failure?.type).toBe("sign_in_failed");
    expect(failure?.device).toEqual({ browser: "Safari", os: "Mac or iPad", deviceType: "other" });
  });

  it("shows the location of the sign-in's IP", async () => {
    const local: RequestContext = { ...MEMBER_LAPTOP, ip: "127.0.0.1" };
    const account = await createAccount("Ada", local);
    const sessionId = account.session.subject.sessionId;
    await recordSecurityEvent(database.db, {
      type: "password_verified",
      userId: account.userId,
      sessionId,
      context: { ...local, ip: "203.0.113.99" },
    });

    const [otherIp, created] = await listSecurityActivity(database.db, account.userId);

    expect(created?.type).toBe("sign_up");
    expect(created?.location).toBe("Local network");
    // The session signed in from another IP, whose location is not the request's.
    expect(otherIp?.type).toBe("password_verified");
    expect(otherIp?.ip).toBe("203.0.113.99");
    expect(otherIp?.location).toBeNull();
  });

  it("names the device that was signed out", async () => {
    const account = await createAccount("Ada");
    const desktop = await signIn(
      database.db,
      { email: account.email, password: PASSWORD },
      ADMIN_LAPTOP,
    );
    if (!desktop.ok) throw new Error("sign-in failed in test setup");
    await recordSecurityEvent(database.db, {
      type: "session_revoked",
      userId: account.userId,
      sessionId: desktop.session.subject.sessionId,
      context: MEMBER_LAPTOP,
      detail: { revokedBy: account.session.subject.sessionId },
    });

    const [revoked] = await listSecurityActivity(database.db, account.userId);

    expect(revoked?.description).toBe("Signed out Firefox on Windows");
    // The device line belongs to the laptop that sent the request.
    expect(revoked?.device?.browser).toBe("Chrome");
    expect(revoked?.ip).toBe(MEMBER_LAPTOP.ip);
  });

  it("shows the renaming device", async () => {
    const account = await createAccount("Ada");
    const desktop = await signIn(
      database.db,
      { email: account.email, password: PASSWORD },
      ADMIN_LAPTOP,
    );
    if (!desktop.ok) throw new Error("sign-in failed in test setup");
    await renameSession(database.db, {
      userId: account.userId,
      sessionId: account.session.subject.sessionId,
      requestSessionId: desktop.session.subject.sessionId,
      name: "Work laptop",
      context: ADMIN_LAPTOP,
    });

    const [renamed] = await listSecurityActivity(database.db, account.userId);

    expect(renamed?.description).toBe("Named a device “Work laptop”");
    expect(renamed?.device?.browser).toBe("Firefox");
  });

  it("ignores another user's session", async () => {
    const owner = await createAccount("Owner");
    const stranger = await createAccount("Stranger", ADMIN_LAPTOP);
    await recordSecurityEvent(database.db, {
      type: "session_revoked",
      userId: owner.userId,
      sessionId: stranger.session.subject.sessionId,
      context: MEMBER_LAPTOP,
      detail: { revokedBy: stranger.session.subject.sessionId },
    });

    const [revoked] = await listSecurityActivity(database.db, owner.userId);

    expect(revoked?.description).toBe("Signed out another device");
    expect(revoked?.device?.browser).toBe("Chrome");
    expect(JSON.stringify(revoked)).not.toContain("Firefox");
  });

  it("stops at the limit", async () => {
    const account = await createAccount("Ada");
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await signIn(database.db, { email: account.email, password: "wrong" }, MEMBER_LAPTOP);
    }

    const activity = await listSecurityActivity(database.db, account.userId, 2);

    expect(activity.map((entry) => entry.type)).toEqual(["sign_in_failed", "sign_in_failed"]);
  });

  it("returns no columns beyond the narrow shape", async () => {
    const account = await createAccount("Ada");

    const [entry] = await listSecurityActivity(database.db, account.userId);

    expect(Object.keys(entry ?? {}).sort()).toEqual([
      "createdAt",
      "description",
      "device",
      "id",
      "ip",
      "location",
      "newCountry",
      "newDevice",
      "type",
    ]);
  });
});
