// Sentences for the ways a session ends, shown to its owner. The module has no server imports,
// so client components can show the same text.

import type { SessionEndReason } from "../db/schema";

/** Sentence for each end reason, shown in the devices page's sign-out history. */
export const SESSION_END_REASON_TEXT: Readonly<Record<SessionEndReason, string>> = {
  signed_out: "Signed out",
  revoked_by_user: "Signed out from another device",
  revoked_by_admin: "Removed by an administrator",
  idle_timeout: "Expired after inactivity",
  absolute_timeout: "Reached the maximum session length",
  password_changed: "Password changed",
  removed_from_organization: "Removed from the organization",
  reported_by_user: "You reported this sign-in as not yours",
};
