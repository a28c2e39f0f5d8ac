import { NewSignInBadge } from "@/components/new-sign-in-badge";
import { TimeAgo } from "@/components/relative-time";
import { card, wrapAnywhere } from "@/components/ui";
import { describeDevice } from "@/lib/device/user-agent";
import type { SecurityActivity } from "@/lib/security-activity";

const muted = "text-sm text-zinc-600 dark:text-zinc-400";

/** Renders the "Security activity" section of the devices page. */
export function SecurityActivityList({
  activity,
  serverNow,
}: {
  activity: SecurityActivity[];
  serverNow: number;
}) {
  return (
    <section aria-labelledby="security-activity-heading" className="space-y-3">
      <h2 id="security-activity-heading" className="text-lg font-semibold tracking-tight">
        Security activity
      </h2>
      {activity.length === 0 ? (
        <p className={muted}>No security activity has been recorded for your account yet.</p>
      ) : (
        <>
          <p className={muted}>
            Sign-ins, sign-outs and changes to your account and memberships, most recent first.
          </p>
          <ul
            aria-label="Security activity"
            className={`${card} divide-y divide-zinc-200 py-0 dark:divide-zinc-800`}
          >
            {activity.map((entry) => (
              <ActivityEntry key={entry.id} entry={entry} serverNow={serverNow} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function ActivityEntry({ entry, serverNow }: { entry: SecurityActivity; serverNow: number }) {
  const warning = entry.type === "sign_in_failed";
  return (
    <li
      data-testid="activity-entry"
      data-event-type={entry.type}
      className="flex min-w-0 flex-col gap-1 py-3 sm:flex-row sm:items-baseline sm:justify-between sm:gap-4"
    >
      <div className="min-w-0 space-y-1">
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <span
            className={
              warning
                ? `min-w-0 font-medium text-red-700 dark:text-red-400 ${wrapAnywhere}`
                : `min-w-0 font-medium ${wrapAnywhere}`
            }
          >
            {entry.description}
          </span>
          <NewSignInBadge flags={entry} testId="new-sign-in-badge" />
        </p>
        {entry.device ? (
          <p className={`${muted} ${wrapAnywhere}`}>
            {describeDevice(entry.device)}
            {entry.location ? ` · ${entry.location}` : ""}
            {entry.ip ? ` · ${entry.ip}` : ""}
          </p>
        ) : null}
      </div>
      <p className={`${muted} shrink-0`}>
        <TimeAgo iso={entry.createdAt.toISOString()} serverNow={serverNow} />
      </p>
    </li>
  );
}
