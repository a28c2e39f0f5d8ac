import { DeviceIcon } from "@/components/device-icon";
import { NewSignInBadge } from "@/components/new-sign-in-badge";
import { LocalTime, RelativeTime } from "@/components/relative-time";
import { SignOutButton } from "@/components/sign-out-button";
import { card } from "@/components/ui";
import type { DeviceGroup, GroupedSession } from "@/lib/auth/devices";
import { UNKNOWN_LOCATION } from "@/lib/device/location";
import { describeDevice } from "@/lib/device/user-agent";

import { RevokeGroupButton, RevokeSessionButton } from "./device-actions";
import { RenameSessionForm } from "./rename-session-form";

const muted = "text-sm text-zinc-600 dark:text-zinc-400";

const currentBadge =
  "rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-emerald-800 dark:bg-emerald-900 dark:text-emerald-200";

const summaryLink =
  "w-fit cursor-pointer rounded-sm text-sm font-medium text-indigo-700 underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-indigo-300";

interface ListContext {
  currentSessionId: string;
  serverNow: number;
  maxNameLength: number;
}

/**
 * Renders the signed-in devices, the group with the current session first. Each session
 * shows its device label (`device-label`) and name (`device-name`) once: in the row of a
 * single-session group, or in its own row inside a larger group's disclosure.
 */
export function DeviceList(props: ListContext & { devices: DeviceGroup[] }) {
  const { devices, ...context } = props;
  const hasCurrent = (device: DeviceGroup) =>
    device.sessions.some((session) => session.id === context.currentSessionId);
  const ordered = [
    ...devices.filter(hasCurrent),
    ...devices.filter((device) => !hasCurrent(device)),
  ];
  return (
    <ul className="mt-3 space-y-3" aria-label="Signed-in devices">
      {ordered.map((device) => (
        <DeviceRow key={device.id} device={device} context={context} />
      ))}
    </ul>
  );
}

function DeviceRow({ device, context }: { device: DeviceGroup; context: ListContext }) {
  const label = describeDevice(device);
  const single = device.sessions.length === 1 ? device.sessions[0] : undefined;
  const includesCurrent = device.sessions.some(
    (session) => session.id === context.currentSessionId,
  );
  const labelId = `device-${device.id}-label`;
  return (
    <li
      className={`${card} flex flex-col gap-3 sm:flex-row sm:items-start sm:gap-4`}
      data-testid="device-group"
      data-device-group={device.id}
      data-session-id={single?.id}
    >
      <div className="flex min-w-0 flex-1 gap-4">
        <DeviceIcon type={device.deviceType} />
        <div className="min-w-0 flex-1 space-y-1">
          <p className="flex flex-wrap items-center gap-x-2 gap-y-1 font-medium">
            <SessionTitle
              id={labelId}
              name={single ? single.name : device.name}
              label={label}
              testIds={single ? "session" : "group"}
            />
            {includesCurrent ? <span className={currentBadge}>This device</span> : null}
            <NewSignInBadge flags={device} testId="new-device-badge" />
          </p>
          <p className={`${muted} break-words`}>
            {device.location ?? UNKNOWN_LOCATION}
            {device.ip ? ` · ${device.ip}` : ""}
          </p>
          <p className={muted}>
            {includesCurrent ? (
              "Active now"
            ) : (
              <RelativeTime iso={device.lastActiveAt.toISOString()} serverNow={context.serverNow} />
            )}
            {single ? " · Signed in " : " · First signed in "}
            <LocalTime iso={device.firstSignedInAt.toISOString()} />
          </p>
          {device.browser && device.os ? null : <UserAgentDetails userAgent={device.userAgent} />}
          {single ? (
            <RenameSessionForm
              sessionId={single.id}
              name={single.name}
              labelId={labelId}
              maxLength={context.maxNameLength}
            />
          ) : (
            <SessionDisclosure device={device} label={label} context={context} />
          )}
        </div>
      </div>
      <DeviceRowAction
        device={device}
        single={single}
        label={label}
        includesCurrent={includesCurrent}
        currentSessionId={context.currentSessionId}
      />
    </li>
  );
}

// Shown when the parser did not recognise the browser or OS, so that the person can judge the
// device from what it sent instead of from a label that says nothing.
function UserAgentDetails({ userAgent }: { userAgent: string }) {
  return (
    <details className="text-sm">
      <summary className={summaryLink}>What did this browser send?</summary>
      <p className={`${muted} mt-1`}>
        {userAgent === "" ? (
          "It sent no User-Agent header."
        ) : (
          <>
            User-Agent:{" "}
            <code className="break-all" data-testid="raw-user-agent">
              {userAgent}
            </code>
          </>
        )}
      </p>
    </details>
  );
}

function DeviceRowAction(props: {
  device: DeviceGroup;
  single: GroupedSession | undefined;
  label: string;
  includesCurrent: boolean;
  currentSessionId: string;
}) {
  const { device, single, label, includesCurrent, currentSessionId } = props;
  if (single) {
    if (includesCurrent) return <SignOutButton />;
    return <RevokeSessionButton sessionId={single.id} deviceLabel={namedLabel(single, label)} />;
  }
  const others = device.sessions
    .filter((session) => session.id !== currentSessionId)
    .map((session) => session.id);
  if (others.length === 0) return null;
  return (
    <RevokeGroupButton sessionIds={others} deviceLabel={label} includesCurrent={includesCurrent} />
  );
}

// A group of several sessions lists them behind a native disclosure, which keyboards and
// screen readers operate without extra code.
function SessionDisclosure(props: { device: DeviceGroup; label: string; context: ListContext }) {
  const { device, label, context } = props;
  const count = device.sessions.length;
  return (
    <details className="pt-1">
      <summary className={summaryLink} data-testid="device-sessions-toggle">
        {count} sessions
      </summary>
      <ul
        aria-label={`Sessions on ${label}`}
        className="mt-2 divide-y divide-zinc-200 border-t border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
      >
        {device.sessions.map((session, index) => (
          <SessionRow
            key={session.id}
            session={session}
            label={label}
            position={`session ${index + 1} of ${count}`}
            context={context}
          />
        ))}
      </ul>
    </details>
  );
}

function SessionRow(props: {
  session: GroupedSession;
  label: string;
  /** Such as "session 2 of 3", which tells apart buttons of sessions without a name. */
  position: string;
  context: ListContext;
}) {
  const { session, label, position, context } = props;
  const isCurrent = session.id === context.currentSessionId;
  const labelId = `session-${session.id}-label`;
  return (
    <li
      data-testid="session-row"
      data-session-id={session.id}
      className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between sm:gap-4"
    >
      <div className="min-w-0 flex-1 space-y-1">
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm font-medium">
          <SessionTitle id={labelId} name={session.name} label={label} testIds="session" />
          {isCurrent ? <span className={currentBadge}>This device</span> : null}
          <NewSignInBadge flags={session} testId="new-session-badge" />
        </p>
        <p className={muted}>
          {isCurrent ? (
            "Active now"
          ) : (
            <RelativeTime iso={session.lastActiveAt.toISOString()} serverNow={context.serverNow} />
          )}
          {" · Signed in "}
          <LocalTime iso={session.createdAt.toISOString()} />
        </p>
        <RenameSessionForm
          sessionId={session.id}
          name={session.name}
          labelId={labelId}
          maxLength={context.maxNameLength}
        />
      </div>
      {isCurrent ? (
        <SignOutButton />
      ) : (
        <RevokeSessionButton
          sessionId={session.id}
          deviceLabel={`${namedLabel(session, label)}, ${position}`}
          text="Sign out"
        />
      )}
    </li>
  );
}

/** Formats "Work laptop (Chrome on macOS)" for a named session, or the device label alone. */
function namedLabel(session: GroupedSession, label: string): string {
  return session.name ? `${session.name} (${label})` : label;
}

/**
 * The name as the main label with the device label beside it, or the device label alone.
 * "session" test ids mark one session's label; "group" ones mark the heading of a group.
 */
function SessionTitle(props: {
  id: string;
  name: string | null;
  label: string;
  testIds: "session" | "group";
}) {
  const { id, name, label, testIds } = props;
  const labelTestId = testIds === "session" ? "device-label" : "device-group-label";
  const nameTestId = testIds === "session" ? "device-name" : "device-group-name";
  if (!name) {
    return (
      <span id={id} data-testid={labelTestId}>
        {label}
      </span>
    );
  }
  return (
    <span id={id} className="flex min-w-0 flex-wrap items-baseline gap-x-2">
      <bdi data-testid={nameTestId} className="min-w-0 break-words [overflow-wrap:anywhere]">
        {name}
      </bdi>
      <span
        data-testid={labelTestId}
        className="text-sm font-normal text-zinc-600 dark:text-zinc-400"
      >
        {label}
      </span>
    </span>
  );
}
