import type { Metadata } from "next";

import { DeviceIcon } from "@/components/device-icon";
import { LocalTime, RelativeTime } from "@/components/relative-time";
import { SignOutButton } from "@/components/sign-out-button";
import { card } from "@/components/ui";
import { listRecentSignOuts } from "@/lib/auth/history";
import { requireAuth } from "@/lib/auth/server";
import { expireIdleSessions, listActiveSessions, type DeviceSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { UNKNOWN_LOCATION } from "@/lib/device/location";
import { describeDevice } from "@/lib/device/user-agent";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { listSecurityActivity } from "@/lib/security-activity";
import { findUserProfile } from "@/lib/users";

import {
  DeviceActionFeedback,
  RevokeOtherSessionsButton,
  RevokeSessionButton,
} from "./device-actions";
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
  const [profile, sessions, signOuts, activity] = await Promise.all([
    findUserProfile(db, claims.sub),
    listActiveSessions(db, claims.sub),
    listRecentSignOuts(db, claims.sub),
    listSecurityActivity(db, claims.sub),
  ]);
  // A Server Component renders once per request, so reading the clock here is stable. The
  // value goes to the client, so hydration renders the same relative times.
  // eslint-disable-next-line react-hooks/purity
  const serverNow = Date.now();
  // The current device first, then the most recently active.
  const ordered = [
    ...sessions.filter((session) => session.id === claims.sid),
    ...sessions.filter((session) => session.id !== claims.sid),
  ];

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
        These are the browsers where your account is signed in. If you do not recognise one, sign it
        out.
      </p>
      <DeviceActionFeedback>
        <ul className="mt-3 space-y-3" aria-label="Signed-in devices">
          {ordered.map((session) => (
            <DeviceRow
              key={session.id}
              session={session}
              isCurrent={session.id === claims.sid}
              serverNow={serverNow}
            />
          ))}
        </ul>
        {ordered.length > 1 ? (
          <div className="mt-6">
            <RevokeOtherSessionsButton count={ordered.length - 1} />
          </div>
        ) : null}
      </DeviceActionFeedback>
      <SignOutHistory sessions={signOuts} serverNow={serverNow} />
      <SecurityActivityList activity={activity} serverNow={serverNow} />
    </section>
  );
}

function DeviceRow(props: { session: DeviceSession; isCurrent: boolean; serverNow: number }) {
  const { session, isCurrent, serverNow } = props;
  const label = describeDevice(session);
  return (
    <li
      className={`${card} flex flex-col gap-3 sm:flex-row sm:items-start sm:gap-4`}
      data-session-id={session.id}
    >
      <div className="flex min-w-0 flex-1 gap-4">
        <DeviceIcon type={session.deviceType} />
        <div className="min-w-0 flex-1 space-y-1">
          <p className="flex flex-wrap items-center gap-2 font-medium">
            <span data-testid="device-label">{label}</span>
            {isCurrent ? (
              <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800 dark:bg-emerald-900 dark:text-emerald-200">
                This device
              </span>
            ) : null}
          </p>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {session.location ?? UNKNOWN_LOCATION}
            {session.ip ? ` · ${session.ip}` : ""}
          </p>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {isCurrent ? (
              "Active now"
            ) : (
              <RelativeTime iso={session.lastActiveAt.toISOString()} serverNow={serverNow} />
            )}
            {" · Signed in "}
            <LocalTime iso={session.createdAt.toISOString()} />
          </p>
        </div>
      </div>
      {isCurrent ? (
        <SignOutButton />
      ) : (
        <RevokeSessionButton sessionId={session.id} deviceLabel={label} />
      )}
    </li>
  );
}
