import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import type { DeviceGroup, GroupedSession } from "@/lib/auth/devices";

import { DeviceList } from "./device-list";

const SIGNED_IN = new Date("2025-12-04T22:42:00Z");
const SERVER_NOW = Date.parse("2025-12-04T23:05:00Z");

function session(id: string, overrides: Partial<GroupedSession> = {}): GroupedSession {
  return {
    id,
    name: null,
    createdAt: SIGNED_IN,
    lastActiveAt: new Date("2025-12-04T23:00:00Z"),
    newDevice: false,
    newCountry: false,
    location: "Local network",
    ip: "127.0.0.1",
    ...overrides,
  };
}

function group(sessions: GroupedSession[], overrides: Partial<DeviceGroup> = {}): DeviceGroup {
  const [first] = sessions;
  if (!first) throw new Error("a group needs a session");
  return {
    id: first.id,
    browser: "Firefox",
    os: "Windows",
    deviceType: "desktop",
    userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    name: null,
    lastActiveAt: first.lastActiveAt,
    firstSignedInAt: first.createdAt,
    location: first.location,
    ip: first.ip,
    newDevice: false,
    newCountry: false,
    sessions,
    ...overrides,
  };
}

// Server rendering shows times in UTC. The browser switches to its own time zone after
// hydration, in the visible text and the accessible name alike.
function render(devices: DeviceGroup[], currentSessionId = "current") {
  return renderToStaticMarkup(
    <DeviceList
      devices={devices}
      currentSessionId={currentSessionId}
      serverNow={SERVER_NOW}
      maxNameLength={60}
    />,
  );
}

/** Returns each button's text content, which is its accessible name here. */
function buttonNames(markup: string): string[] {
  return [...markup.matchAll(/<button[^>]*>(.*?)<\/button>/g)].map((match) =>
    (match[1] ?? "").replace(/<[^>]+>/g, "").replace(/&amp;/g, "&"),
  );
}

describe("DeviceList", () => {
  it("names sign-out buttons apart", () => {
    const markup = render([
      group([session("current")], { browser: "Chrome", os: "macOS" }),
      group([session("a", { ip: "127.0.0.1" })]),
      group([session("b", { ip: "203.0.113.7", location: "Berlin, Germany" })]),
      group([
        session("c", { ip: null, location: null, createdAt: new Date("2025-12-03T08:05:00Z") }),
      ]),
    ]);

    expect(buttonNames(markup).filter((name) => name.startsWith("Sign out"))).toEqual([
      "Sign out",
      "Sign out of Firefox on Windows, Local network (127.0.0.1), signed in 2025-12-04 22:42 UTC",
      "Sign out of Firefox on Windows, Berlin, Germany (203.0.113.7), signed in 2025-12-04 22:42 UTC",
      "Sign out of Firefox on Windows, Unknown location, signed in 2025-12-03 08:05 UTC",
    ]);
  });

  it("hides the detail visually", () => {
    const markup = render([group([session("a")])]);

    expect(markup).toContain('>Sign out<span class="sr-only"> of Firefox on Windows');
  });

  it("names a group's buttons by its name", () => {
    const markup = render([
      group([session("a", { name: "Home Mac" }), session("b", { name: "Home Mac" })], {
        name: "Home Mac",
      }),
    ]);

    expect(buttonNames(markup).filter((name) => name.startsWith("Sign out"))).toEqual([
      "Sign out of Home Mac (Firefox on Windows), Local network (127.0.0.1), signed in 2025-12-04 22:42 UTC, session 1 of 2",
      "Sign out of Home Mac (Firefox on Windows), Local network (127.0.0.1), signed in 2025-12-04 22:42 UTC, session 2 of 2",
      "Sign out of all 2 sessions on Home Mac (Firefox on Windows), Local network (127.0.0.1), first signed in 2025-12-04 22:42 UTC",
    ]);
  });

  it("names the other sessions of the current group", () => {
    const markup = render([group([session("current"), session("b")])]);

    expect(buttonNames(markup)).toContain(
      "Sign out of the other session on Firefox on Windows, Local network (127.0.0.1), first signed in 2025-12-04 22:42 UTC",
    );
  });

  it("describes rename buttons by their row", () => {
    const markup = render([group([session("a")])]);

    expect(markup).toContain('aria-describedby="device-a-label device-a-place device-a-time"');
    expect(markup).toContain('id="device-a-label"');
    expect(markup).toContain('id="device-a-place"');
    expect(markup).toContain('id="device-a-time"');
  });
});
