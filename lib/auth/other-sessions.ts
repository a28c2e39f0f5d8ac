/** How many sessions "sign out of all other devices" ends, counted as the devices page shows them. */
export interface OtherSessionsCount {
  sessions: number;
  /** Device groups, cards on the devices page, that contain at least one of the sessions. */
  devices: number;
  /** True when some of the sessions share a group with the current session. */
  onThisDevice: boolean;
}

/**
 * Counts the sessions other than `currentSessionId` in `devices`, grouped as `listDevices`
 * groups them. With `endedIds`, counts only those sessions, and an id missing from `devices`
 * counts as a device of its own, such as a sign-in made after `devices` was listed.
 */
export function countOtherSessions(
  devices: readonly { sessions: readonly { id: string }[] }[],
  currentSessionId: string,
  endedIds?: readonly string[],
): OtherSessionsCount {
  const counted = endedIds ? new Set(endedIds) : null;
  const isCounted = (id: string) => id !== currentSessionId && (counted?.has(id) ?? true);
  const count: OtherSessionsCount = { sessions: 0, devices: 0, onThisDevice: false };
  const listedIds = new Set<string>();
  for (const device of devices) {
    const others = device.sessions.filter((session) => isCounted(session.id));
    for (const session of device.sessions) listedIds.add(session.id);
    if (others.length === 0) continue;
    count.sessions += others.length;
    count.devices += 1;
    if (device.sessions.some((session) => session.id === currentSessionId)) {
      count.onThisDevice = true;
    }
  }
  const unlisted = (endedIds ?? []).filter((id) => isCounted(id) && !listedIds.has(id)).length;
  count.sessions += unlisted;
  count.devices += unlisted;
  return count;
}

/**
 * Describes the counted sessions, such as "2 other devices", "2 other sessions on this
 * device" or "3 other sessions on 2 devices". Devices alone are named only when each
 * session is a device card of its own, so the words match the cards on the page.
 */
export function describeOtherSessions(count: OtherSessionsCount): string {
  const { sessions, devices, onThisDevice } = count;
  const otherSessions = sessions === 1 ? "1 other session" : `${sessions} other sessions`;
  if (onThisDevice) {
    // Some sessions share this device's card, so "other devices" would be wrong for them.
    return devices === 1
      ? `${otherSessions} on this device`
      : `${otherSessions} on ${devices} devices`;
  }
  if (sessions === devices) return devices === 1 ? "1 other device" : `${devices} other devices`;
  const sessionsOnly = sessions === 1 ? "1 session" : `${sessions} sessions`;
  return devices === 1
    ? `${sessionsOnly} on 1 other device`
    : `${sessionsOnly} on ${devices} other devices`;
}
