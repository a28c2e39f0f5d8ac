"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";

import { setTokenCookie } from "@/lib/auth/cookies";
import { MAX_DISPLAY_NAME_LENGTH, visibleName } from "@/lib/auth/forms";
import { currentRequestContext, requireActiveSession } from "@/lib/auth/server";
import { mintSessionToken } from "@/lib/auth/token";
import type { OrganizationRole } from "@/lib/auth/token-verify";
import { getDb } from "@/lib/db/client";
import { log } from "@/lib/log";
import { switchOrganization } from "@/lib/orgs/membership-changes";
import { createOrganization } from "@/lib/orgs/organizations";

export interface CreateOrganizationState {
  name: string;
  error?: string;
  created?: { organizationId: string; role: OrganizationRole; expiresIn: number };
}

const nameSchema = visibleName("a name for the organization", MAX_DISPLAY_NAME_LENGTH);

/** Creates an organization with the caller as admin and makes it this session's active one. */
export async function createOrganizationAction(
  _previous: CreateOrganizationState,
  form: FormData,
): Promise<CreateOrganizationState> {
  const session = await requireActiveSession();
  const raw = String(form.get("name") ?? "");
  const name = nameSchema.safeParse(raw);
  if (!name.success) return { name: raw, error: name.error.issues[0]?.message };

  const db = await getDb();
  const organization = await db.transaction((tx) =>
    createOrganization(tx, session.userId, name.data),
  );
  const subject = await switchOrganization(db, {
    sessionId: session.sessionId,
    userId: session.userId,
    organizationId: organization.id,
    context: await currentRequestContext(),
  });
  if (!subject?.activeRole) return { name: raw, error: "Your session has ended. Sign in again." };

  const minted = await mintSessionToken(subject);
  setTokenCookie(await cookies(), minted.token, minted.expiresInSeconds);
  log.info({ userId: session.userId, organizationId: organization.id }, "organization created");
  revalidatePath("/", "layout");
  return {
    name: "",
    created: {
      organizationId: organization.id,
      role: subject.activeRole,
      expiresIn: minted.expiresInSeconds,
    },
  };
}
