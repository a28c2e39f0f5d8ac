import { randomUUID } from "node:crypto";

import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { securityEvents, sessions, users } from "../db/schema";
import { setupTestDatabase, uniqueEmail } from "../db/test-database";
import type { RequestContext } from "../device/request-context";
import {
  describeNamedDevice,
  listDevices,
  MAX_SESSION_NAME_CODE_UNITS,
  MAX_SESSION_NAME_LENGTH,
  renameSession,
} from "./devices";

const database = setupTestDatabase();

const CHROME_ON_MAC =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const FIREFOX_ON_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const CONTEXT: RequestContext = { userAgent: CHROME_ON_MAC, ip: "203.0.113.7" };
// The session that sends rename requests in these tests. It is only recorded, never looked up.
const REQUESTER = randomUUID();

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

async function createUser(): Promise<string> {
  const [user] = await database.db
    .insert(users)
    .values({ email: uniqueEmail("devices"), displayName: "Ada", passwordHash: "unused" })
    .returning({ id: users.id });
  if (!user) throw new Error("inserting the user returned no row");
  return user.id;
}

interface SessionRow {
  userAgent?: string;
  browser?: string;
  os?: string;
  deviceType?: "desktop" | "mobile" | "tablet" | "other";
  deviceKey?: string;
  ip?: string | null;
  location?: string;
  createdAt?: Date;
  lastActiveAt?: Date;
  newDevice?: boolean;
  newCountry?: boolean;
  name?: string | null;
  ended?: boolean;
}

/** Inserts a session row directly, with Chrome on macOS at 203.0.113.7 unless overridden. */
async function insertSession(userId: string, row: SessionRow = {}): Promise<string> {
  const ended = row.ended ?? false;
  const [inserted] = await database.db
    .insert(sessions)
    .values({
      userId,
      secretHash: `secret-hash-${randomUUID()}`,
      reportSecretHash: `report-hash-${randomUUID()}`,
      userAgent: row.userAgent ?? CHROME_ON_MAC,
      browser: row.browser ?? "Chrome",
      os: row.os ?? "macOS",
      deviceType: row.deviceType ?? "desktop",
      deviceKey: row.deviceKey ?? "chrome|macos|desktop",
      ip: row.ip === undefined ? "203.0.113.7" : row.ip,
      location: row.location ?? "Berlin, Germany",
      createdAt: row.createdAt ?? minutesAgo(60),
      lastActiveAt: row.lastActiveAt ?? minutesAgo(5),
      newDevice: row.newDevice ?? false,
      newCountry: row.newCountry ?? false,
      name: row.name ?? null,
      status: ended ? "ended" : "active",
      endReason: ended ? "signed_out" : null,
      endedAt: ended ? new Date() : null,
    })
    .returning({ id: sessions.id });
  if (!inserted) throw new Error("inserting the session returned no row");
  return inserted.id;
}

async function readName(sessionId: string) {
  const [row] = await database.db
    .select({ name: sessions.name })
    .from(sessions)
    .where(eq(sessions.id, sessionId));
  return row?.name;
}

async function renameEvents(sessionId: string) {
  return database.db
    .select({ detail: securityEvents.detail, userId: securityEvents.userId })
    .from(securityEvents)
    .where(
      and(eq(securityEvents.sessionId, sessionId), eq(securityEvents.type, "session_renamed")),
    );
}

describe("listDevices", () => {
  it("groups one browser's sessions", async () => {
    const userId = await createUser();
    const older = await insertSession(userId, {
      createdAt: minutesAgo(120),
      lastActiveAt: minutesAgo(30),
      location: "Hamburg, Germany",
    });
    const newer = await insertSession(userId, {
      createdAt: minutesAgo(20),
      lastActiveAt: minutesAgo(2),
      newCountry: true,
    });

    const devices = await listDevices(database.db, userId);

    expect(devices).toHaveLength(1);
    const [device] = devices;
    expect(device?.id).toBe(older);
    expect(device?.sessions.map((session) => session.id)).toEqual([newer, older]);
    expect(device?.browser).toBe("Chrome");
    expect(device?.os).toBe("macOS");
    expect(device?.deviceType).toBe("desktop");
    expect(device?.lastActiveAt.getTime()).toBe(device?.sessions[0]?.lastActiveAt.getTime());
    expect(device?.firstSignedInAt.getTime()).toBe(device?.sessions[1]?.createdAt.getTime());
    expect(device?.location).toBe("Berlin, Germany");
    expect(device?.ip).toBe("203.0.113.7");
    expect(device?.newDevice).toBe(false);
    expect(device?.newCountry).toBe(true);
  });

  it("returns each session's own fields", async () => {
    const userId = await createUser();
    const sessionId = await insertSession(userId, { newDevice: true, name: "Work laptop" });

    const [device] = await listDevices(database.db, userId);

    expect(device?.sessions).toEqual([
      {
        id: sessionId,
        name: "Work laptop",
        createdAt: expect.any(Date),
        lastActiveAt: expect.any(Date),
        newDevice: true,
        newCountry: false,
        location: "Berlin, Germany",
        ip: "203.0.113.7",
      },
    ]);
    expect(device?.name).toBe("Work laptop");
    expect(device?.newDevice).toBe(true);
  });

  it("separates different browsers, IPs and keys", async () => {
    const userId = await createUser();
    await insertSession(userId);
    await insertSession(userId, { ip: "198.51.100.4" });
    await insertSession(userId, {
      userAgent: FIREFOX_ON_WINDOWS,
      browser: "Firefox",
      os: "Windows",
      deviceKey: "firefox|windows|desktop",
    });
    // Same User-Agent string, but client hints made it another kind of device.
    await insertSession(userId, { deviceKey: "chrome|macos|tablet", deviceType: "tablet" });

    const devices = await listDevices(database.db, userId);

    expect(devices).toHaveLength(4);
    expect(devices.every((device) => device.sessions.length === 1)).toBe(true);
  });

  it("keeps sessions without an IP apart", async () => {
    const userId = await createUser();
    await insertSession(userId, { ip: null });
    await insertSession(userId, { ip: null });

    const devices = await listDevices(database.db, userId);

    expect(devices).toHaveLength(2);
    expect(devices[0]?.ip).toBeNull();
  });

  it("orders groups by last activity", async () => {
    const userId = await createUser();
    const idle = await insertSession(userId, { lastActiveAt: minutesAgo(50) });
    const busy = await insertSession(userId, { ip: "198.51.100.4", lastActiveAt: minutesAgo(1) });
    await insertSession(userId, { lastActiveAt: minutesAgo(40) });

    const devices = await listDevices(database.db, userId);

    expect(devices.map((device) => device.sessions.length)).toEqual([1, 2]);
    expect(devices[0]?.id).toBe(busy);
    expect(devices[1]?.sessions.map((session) => session.id)).toContain(idle);
  });

  it("leaves out ended and foreign sessions", async () => {
    const userId = await createUser();
    const strangerId = await createUser();
    const active = await insertSession(userId);
    await insertSession(userId, { ended: true });
    await insertSession(strangerId);

    const devices = await listDevices(database.db, userId);

    expect(devices.flatMap((device) => device.sessions.map((session) => session.id))).toEqual([
      active,
    ]);
  });

  it("names a group only by a shared name", async () => {
    const userId = await createUser();
    await insertSession(userId, { name: "Work laptop" });
    await insertSession(userId, { name: null });
    await insertSession(userId, { ip: "198.51.100.4", name: "Home" });
    await insertSession(userId, { ip: "198.51.100.4", name: "Office" });

    const devices = await listDevices(database.db, userId);
    const names = Object.fromEntries(devices.map((device) => [device.ip, device.name]));

    expect(names).toEqual({ "203.0.113.7": "Work laptop", "198.51.100.4": null });
  });

  it("returns no hashes", async () => {
    const userId = await createUser();
    await insertSession(userId);

    const devices = await listDevices(database.db, userId);
    const serialized = JSON.stringify(devices);

    expect(Object.keys(devices[0] ?? {}).sort()).toEqual([
      "browser",
      "deviceType",
      "firstSignedInAt",
      "id",
      "ip",
      "lastActiveAt",
      "location",
      "name",
      "newCountry",
      "newDevice",
      "os",
      "sessions",
      "userAgent",
    ]);
    expect(serialized).not.toContain("secret-hash-");
    expect(serialized).not.toContain("report-hash-");
  });

  it("returns the raw user agent once per group", async () => {
    const userId = await createUser();
    await insertSession(userId, { userAgent: "Googlebot-ish/1.0" });

    const [device] = await listDevices(database.db, userId);

    expect(device?.userAgent).toBe("Googlebot-ish/1.0");
    expect(Object.keys(device?.sessions[0] ?? {})).not.toContain("userAgent");
  });

  it("returns nothing without sessions", async () => {
    expect(await listDevices(database.db, await createUser())).toEqual([]);
  });
});

describe("renameSession", () => {
  it("sets a trimmed name", async () => {
    const userId = await createUser();
    const sessionId = await insertSession(userId);

    const result = await renameSession(database.db, {
      userId,
      sessionId,
      name: "  Work laptop ",
      requestSessionId: REQUESTER,
      context: CONTEXT,
    });

    expect(result).toEqual({ ok: true, name: "Work laptop", changed: true });
    expect(await readName(sessionId)).toBe("Work laptop");
    expect(await renameEvents(sessionId)).toEqual([
      { detail: { name: "Work laptop", renamedBy: REQUESTER }, userId },
    ]);
  });

  it("clears the name when empty", async () => {
    const userId = await createUser();
    const sessionId = await insertSession(userId, { name: "Old name" });

    const result = await renameSession(database.db, {
      userId,
      sessionId,
      name: "   ",
      requestSessionId: REQUESTER,
      context: CONTEXT,
    });

    expect(result).toEqual({ ok: true, name: null, changed: true });
    expect(await readName(sessionId)).toBeNull();
    expect(await renameEvents(sessionId)).toEqual([
      { detail: { name: "", renamedBy: REQUESTER }, userId },
    ]);
  });

  it("records nothing for the same name", async () => {
    const userId = await createUser();
    const sessionId = await insertSession(userId, { name: "Phone" });

    const result = await renameSession(database.db, {
      userId,
      sessionId,
      name: "Phone",
      requestSessionId: REQUESTER,
      context: CONTEXT,
    });

    expect(result).toEqual({ ok: true, name: "Phone", changed: false });
    expect(await renameEvents(sessionId)).toEqual([]);
  });

  it("accepts the maximum length", async () => {
    const userId = await createUser();
    const sessionId = await insertSession(userId);
    const name = "x".repeat(MAX_SESSION_NAME_LENGTH);

    const result = await renameSession(database.db, {
      userId,
      sessionId,
      name,
      requestSessionId: REQUESTER,
      context: CONTEXT,
    });

    expect(result).toEqual({ ok: true, name, changed: true });
  });

  it.each([
    ["emoji joined by zero-width joiners", "👩\u200D💻"],
    ["combining accents", "e\u0301"],
    ["flags", "🇩🇪"],
  ])("counts %s as one character", async (_case, character) => {
    const userId = await createUser();
    const sessionId = await insertSession(userId);
    const name = character + "x".repeat(MAX_SESSION_NAME_LENGTH - 1);

    const accepted = await renameSession(database.db, {
      userId,
      sessionId,
      requestSessionId: REQUESTER,
      name,
      context: CONTEXT,
    });
    const rejected = await renameSession(database.db, {
      userId,
      sessionId,
      requestSessionId: REQUESTER,
      name: `${name}x`,
      context: CONTEXT,
    });

    expect(accepted).toEqual({ ok: true, name: name.normalize("NFC"), changed: true });
    expect(rejected).toEqual({
      ok: false,
      error: "invalid_name",
      message: "Use at most 60 characters.",
    });
  });

  it("stores the NFC form", async () => {
    const userId = await createUser();
    const sessionId = await insertSession(userId, { name: "Caf\u00E9" });

    // The same name with a combining accent is the stored name, so nothing changes.
    const result = await renameSession(database.db, {
      userId,
      sessionId,
      requestSessionId: REQUESTER,
      name: "Cafe\u0301",
      context: CONTEXT,
    });

    expect(result).toEqual({ ok: true, name: "Caf\u00E9", changed: false });
    expect(await renameEvents(sessionId)).toEqual([]);
  });

  it("caps the stored code units", async () => {
    const userId = await createUser();
    const sessionId = await insertSession(userId, { name: "Kept" });
    // 22 family emoji: 22 characters, but 11 UTF-16 code units each.
    const name = "👨\u200D👩\u200D👧\u200D👦".repeat(22);
    expect(name.length).toBeGreaterThan(MAX_SESSION_NAME_CODE_UNITS);

    const result = await renameSession(database.db, {
      userId,
      sessionId,
      requestSessionId: REQUESTER,
      name,
      context: CONTEXT,
    });

    expect(result).toEqual({
      ok: false,
      error: "invalid_name",
      message: "The name is too long to store. Use fewer accents, symbols or emoji.",
    });
    expect(await readName(sessionId)).toBe("Kept");
  });

  it.each([
    ["too long", "x".repeat(MAX_SESSION_NAME_LENGTH + 1), "Use at most 60 characters."],
    ["a newline", "Work\nlaptop", "Remove invisible or text-direction characters."],
    [
      "a right-to-left override",
      "Work \u202Epot",
      "Remove invisible or text-direction characters.",
    ],
    [
      "an Arabic letter mark",
      "Work\u061C laptop",
      "Remove invisible or text-direction characters.",
    ],
    ["a zero-width space", "Work\u200Blaptop", "Remove invisible or text-direction characters."],
  ])("rejects a name with %s", async (_case, name, message) => {
    const userId = await createUser();
    const sessionId = await insertSession(userId, { name: "Kept" });

    const result = await renameSession(database.db, {
      userId,
      sessionId,
      name,
      requestSessionId: REQUESTER,
      context: CONTEXT,
    });

    expect(result).toEqual({ ok: false, error: "invalid_name", message });
    expect(await readName(sessionId)).toBe("Kept");
    expect(await renameEvents(sessionId)).toEqual([]);
  });

  it("rejects another user's session", async () => {
    const ownerId = await createUser();
    const strangerId = await createUser();
    const sessionId = await insertSession(ownerId, { name: "Kept" });

    const result = await renameSession(database.db, {
      userId: strangerId,
      sessionId,
      name: "Mine now",
      requestSessionId: REQUESTER,
      context: CONTEXT,
    });

    expect(result).toEqual({ ok: false, error: "session_not_found" });
    expect(await readName(sessionId)).toBe("Kept");
    expect(await renameEvents(sessionId)).toEqual([]);
  });

  it("rejects an ended session", async () => {
    const userId = await createUser();
    const sessionId = await insertSession(userId, { ended: true });

    const result = await renameSession(database.db, {
      userId,
      sessionId,
      name: "Old laptop",
      requestSessionId: REQUESTER,
      context: CONTEXT,
    });

    expect(result).toEqual({ ok: false, error: "session_not_found" });
    expect(await readName(sessionId)).toBeNull();
  });

  it.each([["not-a-uuid"], [randomUUID()]])("rejects unknown id %s", async (sessionId) => {
    const userId = await createUser();

    const result = await renameSession(database.db, {
      userId,
      sessionId,
      name: "Laptop",
      requestSessionId: REQUESTER,
      context: CONTEXT,
    });

    expect(result).toEqual({ ok: false, error: "session_not_found" });
  });
});

describe("describeNamedDevice", () => {
  it("puts the name first", () => {
    const device = { name: "Work laptop", browser: "Chrome", os: "macOS" };
    expect(describeNamedDevice(device)).toBe("Work laptop (Chrome on macOS)");
  });

  it("uses the label without a name", () => {
    const device = { name: null, browser: "Chrome", os: "macOS" };
    expect(describeNamedDevice(device)).toBe("Chrome on macOS");
  });
});
