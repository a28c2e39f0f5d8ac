import { describe, expect, it } from "vitest";

import { signUp } from "../auth/accounts";
import { setupTestDatabase, uniqueEmail } from "../db/test-database";
import { addMember } from "./membership-changes";
import { findOrganizationLimits, setOrganizationLimits } from "./session-policy";

const database = setupTestDatabase();
const CONTEXT = { userAgent: "test", ip: null };

async function account(name: string) {
  const email = uniqueEmail(name);
  const result = await signUp(
    database.db,
    { email, displayName: name, password: "correct horse battery" },
    CONTEXT,
  );
  if (!result.ok || !result.session.subject.activeOrganizationId) throw new Error("sign-up failed");
  return {
    email,
    userId: result.session.subject.userId,
    organizationId: result.session.subject.activeOrganizationId,
  };
}

describe("organization session limits", () => {
  it("admins set and clear them", async () => {
    const admin = await account("policy-admin");
    const limits = { absoluteTimeoutSeconds: 3600, idleTimeoutSeconds: 300 };

    expect(
      await setOrganizationLimits(database.db, {
        organizationId: admin.organizationId,
        actorUserId: admin.userId,
        limits,
        context: CONTEXT,
      }),
    ).toBe(true);
    expect(await findOrganizationLimits(database.db, admin.organizationId)).toEqual(limits);

    const cleared = { absoluteTimeoutSeconds: null, idleTimeoutSeconds: null };
    await setOrganizationLimits(database.db, {
      organizationId: admin.organizationId,
      actorUserId: admin.userId,
      limits: cleared,
      context: CONTEXT,
    });
    expect(await findOrganizationLimits(database.db, admin.organizationId)).toEqual(cleared);
  });

  it("members cannot change them", async () => {
    const admin = await account("policy-owner");
    const member = await account("policy-member");
    await addMember(database.db, {
      organizationId: admin.organizationId,
      actorUserId: admin.userId,
      email: member.email,
      context: CONTEXT,
    });

    const changed = await setOrganizationLimits(database.db, {
      organizationId: admin.organizationId,
      actorUserId: member.userId,
      limits: { absoluteTimeoutSeconds: 60, idleTimeoutSeconds: 60 },
      context: CONTEXT,
    });

    expect(changed).toBe(false);
    expect(await findOrganizationLimits(database.db, admin.organizationId)).toEqual({
      absoluteTimeoutSeconds: null,
      idleTimeoutSeconds: null,
    });
  });
});
