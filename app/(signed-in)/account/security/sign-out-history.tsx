import { DeviceIcon } from "@/components/device-icon";
import { LocalTime } from "@/components/relative-time";
import { TimeAgo } from "@/components/relative-time";
import { card, wrapAnywhere } from "@/components/ui";
import { SESSION_END_REASON_TEXT } from "@/lib/auth/end-reasons";
import {
  SIGN_OUT_HISTORY_DAYS,
  SIGN_OUT_HISTORY_LIMIT,
  type EndedSession,
} from "@/lib/auth/history";
import { UNKNOWN_LOCATION } from "@/lib/device/location";
import { describeDevice } from "@/lib/device/user-agent";

const muted = "text-sm text-zinc-600 dark:text-zinc-400";

/** Renders the "Recent sign-outs" section of the devices page. */
export function SignOutHistory(props: { sessions: EndedSession[]; serverNow: number }) {
  const { sessions, serverNow } = props;
  return (
    <section aria-labelledby="sign-out-history-heading" className="space-y-3">
      <h2 id="sign-out-history-heading" className="text-lg font-semibold tracking-tight">
        Recent sign-outs
      </h2>
      {sessions.length === 0 ? (
        <p className={muted}>No device has signed out in the last {SIGN_OUT_HISTORY_DAYS} days.</p>
      ) : (
        <>
          <p className={muted}>
            Devices that signed out or expired in the last {SIGN_OUT_HISTORY_DAYS} days, most recent
            first, up to {SIGN_OUT_HISTORY_LIMIT}.
          </p>
          <ul
            aria-label="Recent sign-outs"
            className={`${card} divide-y divide-zinc-200 py-0 dark:divide-zinc-800`}
          >
            {sessions.map((session) => (
              <HistoryEntry key={session.id} session={session} serverNow={serverNow} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function HistoryEntry(props: { session: EndedSession; serverNow: number }) {
  const { session, serverNow } = props;
  return (
    <li data-testid="history-entry" className="flex min-w-0 gap-4 py-3">
      <DeviceIcon type={session.deviceType} />
      <div className="min-w-0 flex-1 space-y-1">
        <p className={`font-medium ${wrapAnywhere}`}>{describeDevice(session)}</p>
        <p className="text-sm text-zinc-800 dark:text-zinc-200">
          {SESSION_END_REASON_TEXT[session.endReason]}
          {" · "}
          <TimeAgo iso={session.endedAt.toISOString()} serverNow={serverNow} />
        </p>
        <p className={`${muted} ${wrapAnywhere}`}>
          {session.location ?? UNKNOWN_LOCATION}
          {session.ip ? ` · ${session.ip}` : ""}
        </p>
        <p className={muted}>
          {"Signed in "}
          <LocalTime iso={session.createdAt.toISOString()} />
          {" · Ended "}
          <LocalTime iso={session.endedAt.toISOString()} />
        </p>
      </div>
    </li>
  );
}
