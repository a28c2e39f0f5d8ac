// Security log entries in words for the user they concern. Pure, so that the wording has
// unit tests without a database.

import { ORGANIZATION_ROLES, type OrganizationRole, type SecurityEventType } from "./db/schema";

/** Inputs of an event's sentence. They never include another user's email or id. */
export interface SecurityEventFacts {
  type: SecurityEventType;
  /** Name of the organization in the event's detail. Null when absent or deleted. */
  organizationName: string | null;
  /** `from` and `to` of a role change, as stored. */
  fromRole: string | null;
  toRole: string | null;
  /** `reason` of an expired session, as stored. */
  expiryReason: string | null;
  /** `step` of a failed password check: "password_confirmation" when a signed-in user mistyped it. */
  failedStep: string | null;
  /** An organization admin other than the user made the change. */
  byAnotherUser: boolean;
  /** `name` of a renamed session, as stored: empty when the name was removed. */
  sessionName: string | null;
  /**
   * Label of the session that a revoke or report ended, such as "Work laptop (Chrome on
   * macOS)". Null when the event has no session or the session is not the user's.
   */
  sessionLabel: string | null;
}

/** Flags for what was new about a sign-in, as stored on its session or in its "sign_in" event. */
export interface NewSignInFlags {
  newDevice: boolean;
  newCountry: boolean;
}

/** Formats what was new about a sign-in, such as "New device", or returns null when nothing was. */
export function describeNewSignIn(flags: NewSignInFlags): string | null {
  if (flags.newDevice && flags.newCountry) return "New device and country";
  if (flags.newDevice) return "New device";
  if (flags.newCountry) return "New country";
  return null;
}

/** Formats an event as a short sentence such as "Role changed from member to admin in Acme". */
export function describeSecurityEvent(facts: SecurityEventFacts): string {
  const text = baseSentence(facts);
  return facts.byAnotherUser ? `${text} by an administrator` : text;
}

function baseSentence(facts: SecurityEventFacts): string {
  const organization = facts.organizationName ?? "an organization";
  switch (facts.type) {
    case "sign_up":
      return "Account created";
    case "sign_in":
      return "Signed in";
    case "sign_in_failed":
      return facts.failedStep === "password_confirmation"
        ? "Wrong password when confirming an action"
        : "Failed sign-in attempt";
    case "sign_out":
      return "Signed out";
    case "session_revoked":
      return facts.sessionLabel ? `Signed out ${facts.sessionLabel}` : "Signed out another device";
    case "organization_switched":
      return `Switched to ${organization}`;
    case "member_added":
      return `Added to ${organization}`;
    case "role_changed":
      return describeRoleChange(facts.fromRole, facts.toRole, organization);
    case "member_removed":
      return `Removed from ${organization}`;
    case "session_expired":
      return describeExpiry(facts.expiryReason);
    case "password_changed":
      return "Password changed";
    case "password_verified":
      return "Password confirmed";
    case "organization_policy_changed":
      return `Session policy changed in ${organization}`;
    case "session_reported":
      return facts.sessionLabel
        ? `Reported a sign-in from ${facts.sessionLabel} as not yours and signed it out`
        : "Reported a sign-in as not yours and signed it out";
    case "session_renamed":
      return describeRename(facts.sessionName);
    default:
      return unknownType(facts.type);
  }
}

function describeRoleChange(from: string | null, to: string | null, organization: string) {
  if (isRole(from) && isRole(to)) return `Role changed from ${from} to ${to} in ${organization}`;
  return `Role changed in ${organization}`;
}

function describeExpiry(reason: string | null): string {
  if (reason === "idle_timeout") return "Session expired after inactivity";
  if (reason === "absolute_timeout") return "Session reached the maximum length";
  return "Session expired";
}

function describeRename(name: string | null): string {
  if (name === null) return "Renamed a device";
  if (name === "") return "Removed the name of a device";
  return `Named a device “${name}”`;
}

function isRole(value: string | null): value is OrganizationRole {
  return ORGANIZATION_ROLES.some((role) => role === value);
}

// A new event type fails to compile here until it has a sentence.
function unknownType(type: never): string {
  return `Security event ${String(type)}`;
}
