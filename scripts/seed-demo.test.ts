import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { BlockList, isIP } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { eq, inArray, sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { signIn } from "../lib/auth/accounts";
import { listDevices } from "../lib/auth/devices";
import { listRecentSignOuts } from "../lib/auth/history";
import { hashPassword, verifyPassword } from "../lib/auth/password";
import { evaluateSession } from "../lib/auth/session-policy";
import { expireIdleSessions } from "../lib/auth/sessions";
import { openDatabase, type Database } from "../lib/db/client";
import { memberships, organizations, securityEvents, sessions, users } from "../lib/db/schema";
import { setupTestDatabase, uniqueEmail, uniqueIpv4 } from "../lib/db/test-database";
import { deviceKeyOf } from "../lib/device/device-key";
import { locateClientWith, LOCAL_NETWORK, UNKNOWN_LOCATION } from "../lib/device/location";
import { formatLocation } from "../lib/device/location/label";
import { isLocalNetworkIp } from "../lib/device/location/local-network";
import { parseUserAgent } from "../lib/device/user-agent";
import { getEnv } from "../lib/env";
import { listMembers } from "../lib/orgs/organizations";
import { listSecurityActivity } from "../lib/security-activity";
import {
  ARGON2_OPTIONS,
  buildDemoData,
  DEFAULT_SESSION_LIMITS,
  deleteDemoData,
  DEMO_ACCOUNTS,
  DEMO_DEVICES,
  DEMO_ORGANIZATION,
  DEMO_PASSWORD,
  DEMO_PLACES,
  demoDeviceKey,
  demoOrganizationSlugs,
  parseSessionLimits,
  seedDemo,
  type DemoData,
  type QueryRows,
} from "./seed-demo.mjs";

const database = setupTestDatabase();

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "seed-demo.mjs");
const NOW = new Date("2026-05-04T09:30:00.000Z");
const ADMIN_EMAIL = "demo-admin@example.com";

/**
 * Runs one statement with `$n` parameters through Drizzle, whichever driver is behind it. The
 * placeholders become Drizzle parameters, which each driver numbers again.
 */
function queryThrough(db: Database): QueryRows {
  return async (statement, params = []) => {
    const parts = statement.split(/\$(\d+)/);
    const chunks: SQL[] = parts.map((part, index) =>
      index % 2 === 0 ? sql.raw(part) : sql`${params[Number(part) - 1]}`,
    );
    const result: unknown = await db.execute(sql.join(chunks));
    // postgres.js resolves to an array of rows, PGlite to `{ rows }`.
    if (Array.isArray(result)) return result;
    return (result as { rows: Array<Record<string, unknown>> }).rows;
  };
}

class RollBack extends Error {}

/**
 * Runs `work` in a transaction that always rolls back, so the demo rows never reach other test
 * files that share a Postgres database.
 */
async function inRolledBackTransaction(work: (tx: Database) => Promise<void>) {
  try {
    await database.db.transaction(async (tx) => {
      await work(tx);
      throw new RollBack();
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
  }
}

async function demoUserId(db: Database, email: string): Promise<string> {
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email));
  if (!user) throw new Error(`no demo user ${email}`);
  return user.id;
}

async function northwindId(db: Database): Promise<string> {
  const [organization] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.slug, DEMO_ORGANIZATION.slug));
  if (!organization) throw new Error("no demo organization");
  return organization.id;
}

async function countDemoRows(db: Database) {
  const emails = DEMO_ACCOUNTS.map((account) => account.email);
  const demoUsers = db
    .select({ id: users.id })
    .from(users)
    .where(inArray(sql`lower(${users.email})`, emails));
  const count = async (query: Promise<unknown[]>) => (await query).length;
  return {
    users: await count(demoUsers),
    organizations: await count(
      db
        .select({ id: organizations.id })
        .from(organizations)
        .where(inArray(organizations.slug, demoOrganizationSlugs())),
    ),
    sessions: await count(
      db.select({ id: sessions.id }).from(sessions).where(inArray(sessions.userId, demoUsers)),
    ),
    events: await count(
      db
        .select({ id: securityEvents.id })
        .from(securityEvents)
        .where(inArray(securityEvents.userId, demoUsers)),
    ),
  };
}

function sessionByKey(data: DemoData, key: string) {
  const row = data.sessions.find((candidate) => candidate.key === key);
  if (!row) throw new Error(`no demo session ${key}`);
  return row;
}

describe("demo devices", () => {
  it.each(Object.entries(DEMO_DEVICES))("%s matches the app's parser", (_name, device) => {
    const parsed = parseUserAgent(device.userAgent, {
      clientHints: device.clientHints,
      maxTouchPoints: device.maxTouchPoints,
    });

    expect(parsed).toEqual({
      browser: device.browser,
      os: device.os,
      deviceType: device.deviceType,
    });
    expect(demoDeviceKey(device)).toBe(deviceKeyOf(parsed));
  });
});

describe("demo places", () => {
  const documentation = new BlockList();
  documentation.addSubnet("192.0.2.0", 24, "ipv4");
  documentation.addSubnet("198.51.100.0", 24, "ipv4");
  documentation.addSubnet("203.0.113.0", 24, "ipv4");
  documentation.addSubnet("2001:db8::", 32, "ipv6");
  const inDocumentationRange = (ip: string) =>
    documentation.check(ip, isIP(ip) === 4 ? "ipv4" : "ipv6");

  it.each(Object.entries(DEMO_PLACES))("%s has an app-made label", (_name, place) => {
    if (place.countryCode === null) {
      expect(place.location).toBe(LOCAL_NETWORK);
      expect(isLocalNetworkIp(place.ip)).toBe(true);
      return;
    }
    const city = place.location.split(", ")[0];
    expect(formatLocation({ countryCode: place.countryCode, city })).toEqual({
      label: place.location,
      countryCode: place.countryCode,
    });
    expect(inDocumentationRange(place.ip)).toBe(true);
  });

  it("uses addresses the database cannot place", async () => {
    const located = Object.values(DEMO_PLACES)
      .filter((place) => place.countryCode !== null)
      .map((place) => locateClientWith({ ip: place.ip }, getEnv().location));

    for (const location of await Promise.all(located)) {
      expect(location.label).toBe(UNKNOWN_LOCATION);
    }
  });
});

describe("parseSessionLimits", () => {
  it("defaults like the app", () => {
    expect(parseSessionLimits({})).toEqual({
      absoluteTimeoutSeconds: getEnv().sessionLimits.absoluteTimeoutSeconds,
      idleTimeoutSeconds: getEnv().sessionLimits.idleTimeoutSeconds,
    });
    expect(parseSessionLimits({ SESSION_IDLE_TIMEOUT_SECONDS: " " })).toEqual(
      DEFAULT_SESSION_LIMITS,
    );
  });

  it("reads configured limits", () => {
    expect(
      parseSessionLimits({
        SESSION_ABSOLUTE_TIMEOUT_SECONDS: "3600",
        SESSION_IDLE_TIMEOUT_SECONDS: "60",
      }),
    ).toEqual({ absoluteTimeoutSeconds: 3600, idleTimeoutSeconds: 60 });
  });

  it.each([
    ["SESSION_ABSOLUTE_TIMEOUT_SECONDS", "9"],
    ["SESSION_IDLE_TIMEOUT_SECONDS", "4"],
    ["SESSION_IDLE_TIMEOUT_SECONDS", "1.5"],
    ["SESSION_IDLE_TIMEOUT_SECONDS", "thirty"],
  ])("rejects %s=%j", (name, raw) => {
    expect(() => parseSessionLimits({ [name]: raw })).toThrow(`Invalid ${name} "${raw}".`);
  });
});

describe("buildDemoData", () => {
  const limitCases = [
    ["default limits", DEFAULT_SESSION_LIMITS],
    ["short limits", { absoluteTimeoutSeconds: 3600, idleTimeoutSeconds: 60 }],
    ["long limits", { absoluteTimeoutSeconds: 90 * 86_400, idleTimeoutSeconds: 8 * 3600 }],
  ] as const;

  it.each(limitCases)("keeps active sessions live with %s", (_name, limits) => {
    const data = buildDemoData({ now: NOW, limits });
    const active = data.sessions.filter((row) => row.status === "active");

    expect(active).toHaveLength(11);
    for (const row of active) {
      expect(evaluateSession(row, limits, NOW).live).toBe(true);
    }
  });

  it.each(limitCases)("ends timeouts at the deadline with %s", (_name, limits) => {
    const data = buildDemoData({ now: NOW, limits });

    for (const row of data.sessions) {
      if (row.endReason !== "idle_timeout" && row.endReason !== "absolute_timeout") continue;
      expect(row.status).toBe("expired");
      expect(evaluateSession(row, limits, row.endedAt!)).toEqual({
        live: false,
        reason: row.endReason,
        endedAt: row.endedAt,
      });
    }
  });

  it.each(limitCases)("ends other sessions while live with %s", (_name, limits) => {
    const data = buildDemoData({ now: NOW, limits });

    for (const row of data.sessions) {
      if (row.status === "active" || row.status === "expired") continue;
      const justBefore = new Date(row.endedAt!.getTime() - 1);
      expect(evaluateSession(row, limits, justBefore).live).toBe(true);
      expect(row.lastActiveAt.getTime()).toBeLessThanOrEqual(row.endedAt!.getTime());
    }
  });

  it("dates every row before now", () => {
    const data = buildDemoData({ now: NOW });
    const times = [
      ...data.users.map((row) => row.createdAt),
      ...data.organizations.map((row) => row.createdAt),
      ...data.sessions.flatMap((row) => [row.createdAt, row.lastActiveAt, row.lastVerifiedAt]),
      ...data.events.map((row) => row.createdAt),
    ];

    for (const time of times) expect(time.getTime()).toBeLessThanOrEqual(NOW.getTime());
  });

  it("starts each session with its sign-in event", () => {
    const data = buildDemoData({ now: NOW });

    for (const row of data.sessions) {
      const signIns = data.events.filter(
        (event) =>
          event.sessionId === row.id && (event.type === "sign_in" || event.type === "sign_up"),
      );
      expect(signIns).toHaveLength(1);
      expect(signIns[0]?.createdAt).toEqual(row.createdAt);
      expect(signIns[0]?.ip).toBe(row.ip);
    }
    expect(data.events.filter((event) => event.type === "sign_up")).toHaveLength(5);
  });

  it("marks new sign-ins like createSession", () => {
    const data = buildDemoData({ now: NOW });
    const flags = (key: string) => {
      const row = sessionByKey(data, key);
      return { newDevice: row.newDevice, newCountry: row.newCountry };
    };

    expect(flags("maya-signup")).toEqual({ newDevice: false, newCountry: false });
    expect(flags("maya-intruder")).toEqual({ newDevice: true, newCountry: true });
    expect(flags("maya-phone-safari")).toEqual({ newDevice: false, newCountry: false });
    // A private address has no country, so only the device can be new.
    expect(flags("maya-vpn")).toEqual({ newDevice: true, newCountry: false });
    expect(sessionByKey(data, "maya-intruder").reportSecretHash).toMatch(/^[\w-]{43}$/);
    expect(sessionByKey(data, "maya-signup").reportSecretHash).toBeNull();
  });

  it("gives the role of the time", () => {
    const data = buildDemoData({ now: NOW });

    expect(sessionByKey(data, "priya-signup").activeRole).toBe("member");
    expect(sessionByKey(data, "priya-mac").activeRole).toBe("admin");
    expect(sessionByKey(data, "jonas-pc").activeRole).toBe("member");
  });

  it("counts the sessions a password change ended", () => {
    const data = buildDemoData({ now: NOW });
    const [change] = data.events.filter((event) => event.type === "password_changed");

    expect(change?.detail).toEqual({ sessionsSignedOut: "1" });
    expect(change?.sessionId).toBe(sessionByKey(data, "maya-mac").id);
  });
});

describe("seedDemo", () => {
  it("seeds once, then skips", async () => {
    await inRolledBackTransaction(async (tx) => {
      const query = queryThrough(tx);
      await deleteDemoData(query);

      const first = await seedDemo(query, { now: NOW });
      const afterFirst = await countDemoRows(tx);
      const second = await seedDemo(query, { now: NOW });

      expect(first).toEqual({
        created: true,
        replaced: false,
        counts: {
          accounts: 5,
          organizations: 6,
          sessions: 25,
          activeSessions: 11,
          securityEvents: afterFirst.events,
        },
      });
      expect(afterFirst).toMatchObject({ users: 5, organizations: 6, sessions: 25 });
      expect(second).toEqual({ created: false, replaced: false, counts: null });
      expect(await countDemoRows(tx)).toEqual(afterFirst);
    });
  });

  it("resets the demo rows only", async () => {
    await inRolledBackTransaction(async (tx) => {
      const query = queryThrough(tx);
      await deleteDemoData(query);
      await seedDemo(query, { now: NOW });
      const organizationId = await northwindId(tx);
      const oldAdminId = await demoUserId(tx, ADMIN_EMAIL);
      // Another account that joined the demo organization, with a session working in it.
      const [guest] = await tx
        .insert(users)
        .values({ email: uniqueEmail("seed-guest"), displayName: "Guest", passwordHash: "x" })
        .returning({ id: users.id });
      await tx.insert(memberships).values({ userId: guest!.id, organizationId, role: "member" });
      const [guestSession] = await tx
        .insert(sessions)
        .values({
          userId: guest!.id,
          secretHash: `seed-test-${guest!.id}`,
          activeOrganizationId: organizationId,
          activeRole: "member",
        })
        .returning({ id: sessions.id });

      const result = await seedDemo(query, { now: NOW, reset: true });

      expect(result).toMatchObject({ created: true, replaced: true });
      expect(await countDemoRows(tx)).toMatchObject({ users: 5, organizations: 6, sessions: 25 });
      expect(await demoUserId(tx, ADMIN_EMAIL)).not.toBe(oldAdminId);
      const [kept] = await tx
        .select({ status: sessions.status, organization: sessions.activeOrganizationId })
        .from(sessions)
        .where(eq(sessions.id, guestSession!.id));
      expect(kept).toEqual({ status: "active", organization: null });
      const guestMemberships = await tx
        .select({ id: memberships.organizationId })
        .from(memberships)
        .where(eq(memberships.userId, guest!.id));
      expect(guestMemberships).toEqual([]);
    });
  });

  it("rejects demo accounts without the organization", async () => {
    await inRolledBackTransaction(async (tx) => {
      const query = queryThrough(tx);
      await deleteDemoData(query);
      await tx
        .insert(users)
        .values({ email: "Demo-Lena@example.com", displayName: "Lena", passwordHash: "x" });

      await expect(seedDemo(query, { now: NOW })).rejects.toThrow(
        /1 of the demo accounts .* exist, but the demo organization "Northwind Robotics" does not\. Run npm run db:seed -- --reset/,
      );
      expect(await countDemoRows(tx)).toMatchObject({ users: 1, organizations: 0, sessions: 0 });
    });
  });

  it("hashes passwords like the app", async () => {
    await inRolledBackTransaction(async (tx) => {
      const query = queryThrough(tx);
      await deleteDemoData(query);
      await seedDemo(query);
      const [admin] = await tx
        .select({ passwordHash: users.passwordHash })
        .from(users)
        .where(eq(users.email, ADMIN_EMAIL));
      // The PHC string up to the salt contains the algorithm, version and parameters.
      const parameters = (phc: string) => phc.split("$").slice(0, 4).join("$");

      expect(ARGON2_OPTIONS.memoryCost).toBe(19_456);
      expect(parameters(admin!.passwordHash)).toBe(parameters(await hashPassword("unused")));
      expect(await verifyPassword(admin!.passwordHash, DEMO_PASSWORD)).toBe(true);
    });
  });

  it("fills the pages the app shows", async () => {
    await inRolledBackTransaction(async (tx) => {
      const query = queryThrough(tx);
      await deleteDemoData(query);
      await seedDemo(query, { limits: getEnv().sessionLimits });
      const adminId = await demoUserId(tx, ADMIN_EMAIL);
      const organizationId = await northwindId(tx);

      const signedIn = await signIn(
        tx,
        { email: ADMIN_EMAIL, password: DEMO_PASSWORD },
        { userAgent: DEMO_DEVICES.chromeMac!.userAgent, ip: uniqueIpv4() },
      );
      expect(signedIn.ok).toBe(true);
      expect(signedIn.ok && signedIn.session.subject).toMatchObject({
        activeOrganizationId: organizationId,
        activeRole: "admin",
      });

      expect(await expireIdleSessions(tx, adminId, getEnv().sessionLimits)).toEqual([]);
      const devices = await listDevices(tx, adminId);
      const iphone = devices.find((group) => group.os === "iOS");
      expect(devices).toHaveLength(4);
      expect(iphone?.sessions).toHaveLength(2);
      expect(devices.find((group) => group.name === "Work laptop")?.location).toBe(
        "Berlin, Germany",
      );

      const signOuts = await listRecentSignOuts(tx, adminId);
      expect(signOuts.map((row) => row.endReason).sort()).toEqual([
        "absolute_timeout",
        "idle_timeout",
        "password_changed",
        "reported_by_user",
        "revoked_by_user",
        "signed_out",
        "signed_out",
      ]);

      const activityRows = await listSecurityActivity(tx, adminId);
      const activity = activityRows.map((row) => row.description);
      expect(activity).toHaveLength(25);
      const wrongPassword = activityRows.find(
        (row) => row.description === "Wrong password when confirming an action",
      );
      expect(wrongPassword?.location).toBe("Berlin, Germany");
      expect(activity).toContain(
        "Reported a sign-in from Chrome on Windows 11 as not yours and signed it out",
      );
      expect(activity).toContain("Signed out Firefox on Ubuntu");
      expect(activity).toContain("Named a device “Work laptop”");

      const members = await listMembers(tx, organizationId);
      expect(members.map((member) => [member.email, member.role, member.activeSessions])).toEqual([
        ["demo-admin@example.com", "admin", 5],
        ["demo-priya@example.com", "admin", 2],
        ["demo-jonas@example.com", "member", 2],
        ["demo-lena@example.com", "member", 1],
        ["demo-tomas@example.com", "member", 2],
      ]);
      const priyaActivity = await listSecurityActivity(
        tx,
        await demoUserId(tx, "demo-priya@example.com"),
      );
      expect(priyaActivity.map((row) => row.description)).toContain(
        "Role changed from member to admin in Northwind Robotics by an administrator",
      );
    });
  });
});

/** Runs the command in a folder with no .env files, so only `env` configures it. */
function runSeed(env: Record<string, string>, args: string[] = []) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      cwd: workDir,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "development", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let workDir = "";

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), "tessera-seed-"));
});
afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("db:seed command", () => {
  it("prints usage with the password", async () => {
    const { code, stdout } = await runSeed({}, ["--help"]);

    expect(code).toBe(0);
    expect(stdout).toContain(DEMO_PASSWORD);
    expect(stdout).toContain("--reset");
    expect(stdout).toContain("Stop the dev server first");
  });

  it("rejects an unknown argument", async () => {
    const { code, stderr } = await runSeed({}, ["--force"]);

    expect(code).toBe(2);
    expect(stderr).toContain("Unknown argument: --force");
  });

  it("refuses to run in production", async () => {
    const { code, stdout, stderr } = await runSeed({
      NODE_ENV: "production",
      PGLITE_DATA_DIR: path.join(workDir, "never-created"),
    });

    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("does not run with NODE_ENV=production");
  });

  it("rejects an in-memory database", async () => {
    const { code, stderr } = await runSeed({ PGLITE_DATA_DIR: "memory://" });

    expect(code).toBe(1);
    expect(stderr).toContain('PGLITE_DATA_DIR is "memory://"');
  });

  it("rejects a PGlite folder another process has open", async () => {
    const folder = path.join(workDir, "open-folder");
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, "PG_VERSION"), "18\n");
    await writeFile(path.join(folder, "postmaster.pid"), "12345\n");

    const { code, stderr } = await runSeed({ PGLITE_DATA_DIR: folder });

    expect(code).toBe(1);
    expect(stderr).toContain("looks open in another process");
  });

  it("rejects an invalid idle limit", async () => {
    const { code, stderr } = await runSeed({
      PGLITE_DATA_DIR: path.join(workDir, "unused"),
      SESSION_IDLE_TIMEOUT_SECONDS: "0",
    });

    expect(code).toBe(1);
    expect(stderr).toContain('Invalid SESSION_IDLE_TIMEOUT_SECONDS "0".');
  });

  it("seeds a new PGlite folder once", { timeout: 90_000 }, async () => {
    const dataDir = path.join(workDir, "nested", "pglite");

    const first = await runSeed({ PGLITE_DATA_DIR: dataDir });
    const second = await runSeed({ PGLITE_DATA_DIR: dataDir });

    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`PGlite at ${dataDir}: Seeded 5 accounts, 6 organizations`);
    expect(first.stdout).toContain(`Sign in as ${ADMIN_EMAIL} with the password ${DEMO_PASSWORD}`);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("already exists, so nothing was changed");
    const checking = await openDatabase({ pgliteDataDir: dataDir });
    try {
      expect(await countDemoRows(checking.db)).toMatchObject({
        users: 5,
        organizations: 6,
        sessions: 25,
      });
    } finally {
      await checking.close();
    }
  });

  // Commits demo rows to the shared database for a moment; they are deleted right after.
  it.runIf(process.env.DATABASE_URL)("seeds Postgres", { timeout: 60_000 }, async () => {
    try {
      const { code, stdout, stderr } = await runSeed(
        { DATABASE_URL: process.env.DATABASE_URL ?? "" },
        ["--reset"],
      );

      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Postgres at DATABASE_URL: (Seeded|Replaced the demo data with) 5/);
      expect(await countDemoRows(database.db)).toMatchObject({ users: 5, sessions: 25 });
    } finally {
      await deleteDemoData(queryThrough(database.db));
    }
    expect(await countDemoRows(database.db)).toMatchObject({ users: 0, organizations: 0 });
  });
});
