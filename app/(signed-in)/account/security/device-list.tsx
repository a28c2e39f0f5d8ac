import { DeviceIcon } from "@/components/device-icon";
import { NewSignInBadge } from "@/components/new-sign-in-badge";
import { LocalTime, RelativeTime } from "@/components/relative-time";
import { SignOutButton } from "@/components/sign-out-button";
import { card, linkButton, wrapAnywhere } from "@/components/ui";
import { describeNamedDevice, type DeviceGroup, type GroupedSession } from "@/lib/auth/devices";
import { UNKNOWN_LOCATION } from "@/lib/device/location";
import { describeDevice } from "@/lib/device/user-agent";

import { RevokeGroupButton, RevokeSessionButton, type SignOutTarget } from "./device-actions";
import { RenameSessionForm } from "./rename-session-form";

const muted = "text-sm text-zinc-600 dark:text-zinc-400";

const currentBadge =
  "rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-emerald-800 dark:bg-emerald-900 dark:text-emerald-200";

const summaryLink = `w-fit cursor-pointer ${linkButton}`;

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
  const placeId = `device-${device.id}-place`;
  const timeId = `device-${device.id}-time`;
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
          <p id={placeId} className={`${muted} ${wrapAnywhere}`}>
            {device.location ?? UNKNOWN_LOCATION}
            {device.ip ? ` · ${device.ip}` : ""}
          </p>
          <p id={timeId} className={muted}>
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
              describedBy={`${labelId} ${placeId} ${timeId}`}
              maxLength={context.maxNameLength}
            />
          ) : (
            <SessionDisclosure device={device} label={label} placeId={placeId} context={context} />
          )}
        </div>
      </div>
      <DeviceRowAction
        device={device}
        single={single}
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
  includesCurrent: boolean;
  currentSessionId: string;
}) {
  const { device, single, includesCurrent, currentSessionId } = props;
  if (single) {
    if (includesCurrent) return <SignOutButton />;
    return <RevokeSessionButton sessionId={single.id} target={sessionTarget(device, single)} />;
  }
  const others = device.sessions
    .filter((session) => session.id !== currentSessionId)
    .map((session) => session.id);
  if (others.length === 0) return null;
  // A group that the owner named, such as "Home Mac", is called by that name.
  const target: SignOutTarget = {
    device: describeNamedDevice(device),
    place: describePlace(device),
    signedInAt: device.firstSignedInAt.toISOString(),
    earliest: true,
  };
  return (
    <RevokeGroupButton sessionIds={others} target={target} includesCurrent={includesCurrent} />
  );
}

/** Describes one session for its sign-out button's accessible name. */
function sessionTarget(
  device: DeviceGroup,
  session: GroupedSession,
  position?: string,
): SignOutTarget {
  return {
    device: describeNamedDevice({ name: session.name, browser: device.browser, os: device.os }),
    place: describePlace(session),
    signedInAt: session.createdAt.toISOString(),
    position,
  };
}

/** Formats "Berlin, Germany (203.0.113.7)", or the location alone without an IP. */
function describePlace(where: { location: string | null; ip: string | null }): string {
  const location = where.location ?? UNKNOWN_LOCATION;
  return where.ip ? `${location} (${where.ip})` : location;
}

// A group of several sessions lists them behind a native disclosure, which keyboards and
// screen readers operate without extra code.
function SessionDisclosure(props: {
  device: DeviceGroup;
  label: string;
  /** Id of the group's location line, which describes each session's rename button too. */
  placeId: string;
  context: ListContext;
}) {
  const { device, label, placeId, context } = props;
  const count = device.sessions.length;
  return (
    <details className="pt-1">
      <summary className={summaryLink} data-testid="device-sessions-toggle">
        {count} sessions
      </summary>
      <ul
        aria-label={`Sessions on ${describeNamedDevice(device)}`}
        className="mt-2 divide-y divide-zinc-200 border-t border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
      >
        {device.sessions.map((session, index) => (
          <SessionRow
            key={session.id}
            device={device}
            session={session}
            label={label}
            placeId={placeId}
            position={`session ${index + 1} of ${count}`}
            context={context}
          />
        ))}
      </ul>
    </details>
  );
}

function SessionRow(props: {
  device: DeviceGroup;
  session: GroupedSession;
  label: string;
  placeId: string;
  /** Such as "session 2 of 3", which tells apart buttons of sessions without a name. */
  position: string;
  context: ListContext;
}) {
  const { device, session, label, placeId, position, context } = props;
  const isCurrent = session.id === context.currentSessionId;
  const labelId = `session-${session.id}-label`;
  const timeId = `session-${session.id}-time`;
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
        <p id={timeId} className={muted}>
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
          describedBy={`${labelId} ${placeId} ${timeId}`}
          maxLength={context.maxNameLength}
        />
      </div>
      {isCurrent ? (
        <SignOutButton />
      ) : (
        <RevokeSessionButton
          sessionId={session.id}
          target={sessionTarget(device, session, position)}
        />
      )}
    </li>
  );
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
      <bdi data-testid={nameTestId} className={`min-w-0 ${wrapAnywhere}`}>
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
