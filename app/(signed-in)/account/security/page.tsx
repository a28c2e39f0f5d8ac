import type { Metadata } from "next";

import { MAX_SESSION_NAME_LENGTH, listDevices } from "@/lib/auth/devices";
import { listRecentSignOuts } from "@/lib/auth/history";
import { countOtherSessions } from "@/lib/auth/other-sessions";
import { requireAuth } from "@/lib/auth/server";
import { expireIdleSessions } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { listSecurityActivity } from "@/lib/security-activity";
import { findUserProfile } from "@/lib/users";

import { DeviceActionFeedback } from "./device-action-feedback";
import { RevokeOtherSessionsButton } from "./device-actions";
import { DeviceList } from "./device-list";
import { LocationAttribution } from "./location-attribution";
import { SecurityActivityList } from "./security-activity-list";
import { SignOutHistory } from "./sign-out-history";

export const metadata: Metadata = { title: "Devices" };

export default async function SecurityPage() {
  // The page reads protected data, so it checks the token itself instead of trusting that
  // middleware ran.
  const { claims } = await requireAuth("/account/security");
  const db = await getDb();
  // A session that no browser refreshes any more (a closed laptop) is never marked by the
  // refresh statement, so it is marked here and moves from the active list to the history.
  // NOTE: unlike the refresh path, this records no session_expired security event. The IP and
  // user agent of this request belong to the viewing device, not to the expired one.
  const expiredIds = await expireIdleSessions(db, claims.sub, getEnv().sessionLimits);
  if (expiredIds.length > 0) {
    log.info({ userId: claims.sub, sessionIds: expiredIds }, "sessions past their limits expired");
  }
  const [profile, devices, signOuts, activity] = await Promise.all([
    findUserProfile(db, claims.sub),
    listDevices(db, claims.sub),
    listRecentSignOuts(db, claims.sub),
    listSecurityActivity(db, claims.sub),
  ]);
  // A Server Component renders once per request, so reading the clock here is stable. The
  // value goes to the client, so hydration renders the same relative times.
  // eslint-disable-next-line react-hooks/purity
  const serverNow = Date.now();
  const sessionCount = devices.reduce((count, device) => count + device.sessions.length, 0);
  // For a moment after this session was signed out elsewhere, the one listed session can be
  // another device's, until the next token refresh signs this browser out.
  const onlyThisSession = sessionCount === 1 && devices[0]?.sessions[0]?.id === claims.sid;

  return (
    <section className="space-y-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Your devices</h1>
        {profile ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Signed in as <bdi>{profile.displayName}</bdi> (<bdi>{profile.email}</bdi>)
          </p>
        ) : null}
      </header>
      <p className="max-w-prose text-sm text-zinc-700 dark:text-zinc-300">
        These are the browsers where your account is signed in. Sign-ins from the same browser on
        the same network are grouped into one device. If you do not recognise one, sign it out.
      </p>
      <DeviceActionFeedback>
        <DeviceList
          devices={devices}
          currentSessionId={claims.sid}
          serverNow={serverNow}
          maxNameLength={MAX_SESSION_NAME_LENGTH}
        />
        {sessionCount > 1 ? (
          <div className="mt-6">
            <RevokeOtherSessionsButton others={countOtherSessions(devices, claims.sid)} />
          </div>
        ) : null}
        {onlyThisSession ? (
          <p
            className="mt-3 max-w-prose text-sm text-zinc-600 dark:text-zinc-400"
            data-testid="only-this-device"
          >
            Only this browser is signed in to your account. When you sign in on another device, it
            appears here, and you can sign it out from this page.
          </p>
        ) : null}
      </DeviceActionFeedback>
      <SignOutHistory sessions={signOuts} serverNow={serverNow} />
      <SecurityActivityList activity={activity} serverNow={serverNow} />
      {/* Once for the whole page, after every list that shows locations. */}
      <LocationAttribution />
    </section>
  );
}
