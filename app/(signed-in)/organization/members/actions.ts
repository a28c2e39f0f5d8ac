"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import { currentRequestContext, requireAdminFromDatabase } from "@/lib/auth/server";
import { isRecentlyVerified } from "@/lib/auth/step-up";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { ORGANIZATION_ROLES } from "@/lib/db/schema";
import { log } from "@/lib/log";
import {
  addMember,
  changeMemberRole,
  removeMember,
  type MembershipChangeError,
  type MembershipChangeResult,
} from "@/lib/orgs/membership-changes";

export interface MemberActionState {
  message?: string;
  error?: string;
  /** The change needs a recent password check first; nothing was changed. */
  stepUp?: boolean;
  /** The email the add-member form submitted, so a rejected one stays in the field. */
  email?: string;
}

const ERROR_MESSAGES: Record<MembershipChangeError, string> = {
  not_admin: "Only admins of this organization can change its members.",
  not_member: "That person is not a member of this organization any more.",
  last_admin: "An organization needs at least one admin. Make someone else an admin first.",
  user_not_found: "No account uses that email address. Ask the person to sign up first.",
  already_member: "That person is already a member of this organization.",
};

const NOT_ADMIN = { error: ERROR_MESSAGES.not_admin };
const ORGANIZATION_CHANGED = {
  error: "This session switched to another organization since the page loaded. Reload the page.",
};

/**
 * Returns the verified admin when the form was rendered for the session's current
 * organization. Another tab may have switched organization since, and a change must never
 * land in an organization the page did not show.
 */
async function requireAdminOfForm(form: FormData) {
  const admin = await requireAdminFromDatabase();
  if (!admin) return { error: NOT_ADMIN };
  if (form.get("organizationId") !== admin.organizationId) return { error: ORGANIZATION_CHANGED };
  return { admin };
}

const roleChangeSchema = z.object({
  userId: z.uuid(),
  role: z.enum(ORGANIZATION_ROLES, { error: "Choose admin or member." }),
});

/** Changes a member's role. The caller's admin role is re-read in the database first. */
export async function changeRoleAction(
  _previous: MemberActionState,
  form: FormData,
): Promise<MemberActionState> {
  const { admin, error } = await requireAdminOfForm(form);
  if (!admin) return error;
  const input = roleChangeSchema.safeParse({ userId: form.get("userId"), role: form.get("role") });
  if (!input.success) return { error: input.error.issues[0]?.message ?? "Invalid request." };
  if (!isRecentlyVerified(admin.session, getEnv().stepUpMaxAgeSeconds)) return { stepUp: true };

  const result = await changeMemberRole(await getDb(), {
    organizationId: admin.organizationId,
    actorUserId: admin.session.userId,
    targetUserId: input.data.userId,
    role: input.data.role,
    context: await currentRequestContext(),
  });
  return finish(result, `Role changed to ${input.data.role}.`, { ...input.data, admin });
}

/** Removes a member from the organization. */
export async function removeMemberAction(
  _previous: MemberActionState,
  form: FormData,
): Promise<MemberActionState> {
  const { admin, error } = await requireAdminOfForm(form);
  if (!admin) return error;
  const userId = z.uuid().safeParse(form.get("userId"));
  if (!userId.success) return { error: ERROR_MESSAGES.not_member };

  const result = await removeMember(await getDb(), {
    organizationId: admin.organizationId,
    actorUserId: admin.session.userId,
    targetUserId: userId.data,
    context: await currentRequestContext(),
  });
  return finish(result, "Member removed.", { userId: userId.data, admin });
}

const emailSchema = z
  .string()
  .trim()
  .min(1, { error: "Enter the email address of the person to add." })
  .pipe(z.email({ error: "Enter an email address like name@example.com." }));

/** Adds an existing account, found by email, as a member. */
export async function addMemberAction(
  _previous: MemberActionState,
  form: FormData,
): Promise<MemberActionState> {
  const { admin, error } = await requireAdminOfForm(form);
  if (!admin) return error;
  const submitted = String(form.get("email") ?? "");
  const email = emailSchema.safeParse(submitted);
  if (!email.success) {
    return { error: email.error.issues[0]?.message ?? "Invalid email.", email: submitted };
  }

  const result = await addMember(await getDb(), {
    organizationId: admin.organizationId,
    actorUserId: admin.session.userId,
    email: email.data,
    context: await currentRequestContext(),
  });
  const outcome = finish(result, `${email.data} is now a member.`, { admin });
  return outcome.error ? { ...outcome, email: submitted } : outcome;
}

function finish(
  result: MembershipChangeResult,
  success: string,
  details: { admin: { organizationId: string; session: { userId: string } } } & Record<
    string,
    unknown
  >,
): MemberActionState {
  const ids = {
    organizationId: details.admin.organizationId,
    actorUserId: details.admin.session.userId,
    targetUserId: details.userId,
  };
  if (!result.ok) {
    log.info({ ...ids, error: result.error }, "membership change rejected");
    return { error: ERROR_MESSAGES[result.error] };
  }
  log.info({ ...ids, updatedSessions: result.updatedSessions }, "membership changed");
  revalidatePath("/organization/members");
  return { message: success };
}
