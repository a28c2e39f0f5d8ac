import type { Notification } from "./notifier";

/** Contents of a new sign-in alert. */
export interface NewSignInNotice {
  userId: string;
  email: string;
  displayName: string;
  sessionId: string;
  /** Device label such as "Firefox on Windows". */
  device: string;
  /** Approximate location such as "Germany" or "Unknown location". */
  location: string;
  signedInAt: Date;
  newDevice: boolean;
  newCountry: boolean;
  /** Absolute URL of the "This wasn't me" link, carrying a one-time secret. */
  reportUrl: string;
}

export const NEW_SIGN_IN_SUBJECT = "New sign-in to your account";

// Sent to people anywhere, so the time is in UTC with the zone named, not the server's zone.
const timeFormat = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "long",
  timeStyle: "short",
  timeZone: "UTC",
});

/** Builds the plain-text alert for a sign-in from a new device or country. */
export function newSignInNotification(notice: NewSignInNotice): Notification {
  const text = [
    `Hello ${notice.displayName},`,
    "",
    `Your account was just signed in from ${whatWasNew(notice)}.`,
    "",
    `Device: ${notice.device}`,
    `Location: ${notice.location} (approximate)`,
    `Time: ${timeFormat.format(notice.signedInAt)} UTC`,
    "",
    "If this was you, you can ignore this message.",
    "",
    "If this wasn't you, sign that device out with this link, then change your password.",
    `This wasn't me: ${notice.reportUrl}`,
  ].join("\n");
  return {
    kind: "new_sign_in",
    userId: notice.userId,
    to: notice.email,
    subject: NEW_SIGN_IN_SUBJECT,
    text,
    secretLinks: [notice.reportUrl],
    sessionId: notice.sessionId,
  };
}

function whatWasNew(notice: Pick<NewSignInNotice, "newDevice" | "newCountry">): string {
  if (notice.newDevice && notice.newCountry) return "a new device in a new country";
  if (notice.newCountry) return "a country you have not signed in from before";
  return "a device you have not signed in from before";
}
