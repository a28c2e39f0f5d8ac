"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";

import { setTokenCookie } from "@/lib/auth/cookies";
import { MAX_DISPLAY_NAME_LENGTH, visibleName } from "@/lib/auth/forms";
import {
  currentRequestContext,
  requireActiveSession,
  requireAdminFromDatabase,
} from "@/lib/auth/server";
import { mintSessionToken } from "@/lib/auth/token";
import type { OrganizationRole } from "@/lib/auth/token-verify";
import { getDb } from "@/lib/db/client";
import { log } from "@/lib/log";
import { switchOrganization } from "@/lib/orgs/membership-changes";
import { createOrganization } from "@/lib/orgs/organizations";
import { setOrganizationLimits } from "@/lib/orgs/session-policy";
import { z } from "zod";

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

export interface PolicyState {
  message?: string;
  error?: string;
  /** The values submitted, kept in the fields when they are rejected. */
  submitted?: { absoluteMinutes: string; idleMinutes: string };
}

const SECONDS_PER_MINUTE = 60;

const minutesField = z
  .string()
  .trim()
  .transform((value, context) => {
    if (value === "") return null;
    const minutes = Number(value);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 525_600) {
      context.addIssue({
        code: "custom",
        message: "Enter a whole number of minutes between 1 and 525600, or leave it empty.",
      });
      return z.NEVER;
    }
    return minutes * SECONDS_PER_MINUTE;
  });

/** Sets the active organization's own session limits; admins only, checked in the database. */
export async function setSessionPolicyAction(
  _previous: PolicyState,
  form: FormData,
): Promise<PolicyState> {
  const admin = await requireAdminFromDatabase();
  if (!admin || form.get("organizationId") !== admin.organizationId) {
    return { error: "Only admins of this organization can change its session policy." };
  }
  const submitted = {
    absoluteMinutes: String(form.get("absoluteMinutes") ?? ""),
    idleMinutes: String(form.get("idleMinutes") ?? ""),
  };
  const absolute = minutesField.safeParse(submitted.absoluteMinutes);
  const idle = minutesField.safeParse(submitted.idleMinutes);
  const errors = [
    absolute.success ? null : `Maximum session length: ${absolute.error.issues[0]?.message}`,
    idle.success ? null : `Inactivity limit: ${idle.error.issues[0]?.message}`,
  ].filter((message): message is string => message !== null);
  if (!absolute.success || !idle.success) return { error: errors.join(" "), submitted };

  const saved = await setOrganizationLimits(await getDb(), {
    organizationId: admin.organizationId,
    actorUserId: admin.session.userId,
    limits: { absoluteTimeoutSeconds: absolute.data, idleTimeoutSeconds: idle.data },
    context: await currentRequestContext(),
  });
  if (!saved) return { error: "Only admins of this organization can change its session policy." };
  revalidatePath("/organization");
  return { message: "Session policy saved. It applies to each session at its next refresh." };
}
