// Seeds a demo organization, Northwind Robotics, with an admin, four members and a month of
// sessions and security events, so that the devices, members and security activity pages look
// like real use on a fresh database.
//
// Usage: npm run db:seed [-- --reset]
//
// Plain JavaScript and SQL, like scripts/retention.mjs: it reads the same .env files as
// Next.js (through @next/env) and opens the same database as the app, Postgres when
// DATABASE_URL is set and otherwise the PGlite folder, applying the migrations in drizzle/
// first. It refuses to run with NODE_ENV=production, because every demo account has the
// password printed below.
//
// The demo rows are fixed fictional data. Every address comes from the ranges reserved for
// documentation (RFC 5737 and RFC 3849), which the bundled location database does not place,
// so each session stores the location that a city database would give for a real address. The device labels
// and device keys are what lib/device/user-agent.ts makes of each User-Agent, and the test
// checks that they stay so. The session secrets are random and discarded, so no browser can
// use a demo session, but the pages can list and sign out every one of them.
//
// NOTE: times are relative to the moment the command runs. Active demo sessions are placed
// inside the idle limit (SESSION_IDLE_TIMEOUT_SECONDS, 30 minutes by default), and nothing
// refreshes them, so the devices page marks them expired once that limit has passed. Run
// `npm run db:seed -- --reset` to start over with fresh times.

import { createHash, randomBytes, randomUUID } from "node:crypto";
import { existsSync, readdirSync, realpathSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { hash } from "@node-rs/argon2";
import nextEnv from "@next/env";

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));
// The same lock as lib/db/client.ts, so a seed and a starting app never migrate at once.
const MIGRATION_LOCK_ID = 7_250_113;

// The parameters of lib/auth/password.ts (OWASP 2024 argon2id: 19 MiB, 2 passes, 1 lane), so
// the app verifies and later rehashes these passwords like any other. `algorithm: 2` is
// Argon2id in @node-rs/argon2, whose enum exists only in its type declarations.
export const ARGON2_OPTIONS = Object.freeze({
  algorithm: 2,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

/** The password of every demo account. Published in the docs, so never use it elsewhere. */
export const DEMO_PASSWORD = "northwind-demo-password";

// Demo organizations have slugs ending in "-demo". The app's slugs end in six hex digits,
// so no organization created in the app can take one of these.
export const DEMO_ORGANIZATION = Object.freeze({
  name: "Northwind Robotics",
  slug: "northwind-robotics-demo",
});

export const DEMO_ACCOUNTS = Object.freeze([
  { key: "maya", email: "demo-admin@example.com", displayName: "Maya Okafor", role: "admin" },
  { key: "priya", email: "demo-priya@example.com", displayName: "Priya Raman", role: "admin" },
  { key: "jonas", email: "demo-jonas@example.com", displayName: "Jonas Becker", role: "member" },
  { key: "tomas", email: "demo-tomas@example.com", displayName: "Tomás Alves", role: "member" },
  { key: "lena", email: "demo-lena@example.com", displayName: "Lena Kowalski", role: "member" },
]);

/**
 * Browsers of the demo sessions: the User-Agent and the signals that the sign-in form sends
 * beside it, and the labels the app stores for them.
 */
export const DEMO_DEVICES = Object.freeze({
  chromeMac: {
    userAgent:
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36",
    maxTouchPoints: 0,
    browser: "Chrome",
    os: "macOS",
    deviceType: "desktop",
  },
  chromeWindows: {
    userAgent:
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36",
    clientHints: {
      brands: [
        { name: "Google Chrome", version: "146" },
        { name: "Chromium", version: "146" },
      ],
      mobile: false,
      platform: "Windows",
      platformVersion: "19.0.0",
      model: "",
    },
    maxTouchPoints: 0,
    browser: "Chrome",
    os: "Windows 11",
    deviceType: "desktop",
  },
  edgeWindows: {
    userAgent:
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36 Edg/146.0.0.0",
    clientHints: {
      brands: [
        { name: "Microsoft Edge", version: "146" },
        { name: "Chromium", version: "146" },
      ],
      mobile: false,
      platform: "Windows",
      platformVersion: "19.0.0",
      model: "",
    },
    maxTouchPoints: 0,
    browser: "Edge",
    os: "Windows 11",
    deviceType: "desktop",
  },
  firefoxWindows: {
    userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0",
    maxTouchPoints: 0,
    browser: "Firefox",
    os: "Windows",
    deviceType: "desktop",
  },
  firefoxUbuntu: {
    userAgent: "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
    maxTouchPoints: 0,
    browser: "Firefox",
    os: "Ubuntu",
    deviceType: "desktop",
  },
  safariIphone: {
    userAgent:
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1",
    maxTouchPoints: 5,
    browser: "Safari",
    os: "iOS",
    deviceType: "mobile",
  },
  // iPadOS Safari sends a Mac User-Agent; the touch points tell the app it is an iPad.
  safariIpad: {
    userAgent:
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15",
    maxTouchPoints: 5,
    browser: "Safari",
    os: "iPadOS",
    deviceType: "tablet",
  },
  chromeAndroid: {
    userAgent:
      "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Mobile Safari/537.36",
    clientHints: {
      brands: [
        { name: "Google Chrome", version: "146" },
        { name: "Chromium", version: "146" },
      ],
      mobile: true,
      platform: "Android",
      platformVersion: "15.0.0",
      model: "Pixel 8",
    },
    maxTouchPoints: 5,
    browser: "Chrome",
    os: "Android",
    deviceType: "mobile",
  },
  chromeChromebook: {
    userAgent:
      "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36",
    maxTouchPoints: 0,
    browser: "Chrome",
    os: "ChromeOS",
    deviceType: "desktop",
  },
});

/** Places the demo sessions sign in from: documentation addresses with a made-up place. */
export const DEMO_PLACES = Object.freeze({
  berlinOffice: { ip: "203.0.113.24", location: "Berlin, Germany", countryCode: "DE" },
  berlinHome: { ip: "2001:db8:3e1:7a00::21", location: "Berlin, Germany", countryCode: "DE" },
  // The office VPN hands out private addresses, which the app shows as "Local network".
  officeVpn: { ip: "10.40.0.12", location: "Local network", countryCode: null },
  munich: { ip: "203.0.113.150", location: "Munich, Germany", countryCode: "DE" },
  hamburg: { ip: "198.51.100.40", location: "Hamburg, Germany", countryCode: "DE" },
  copenhagen: { ip: "198.51.100.9", location: "Copenhagen, Denmark", countryCode: "DK" },
  rotterdam: { ip: "198.51.100.77", location: "Rotterdam, Netherlands", countryCode: "NL" },
  lisbon: { ip: "192.0.2.61", location: "Lisbon, Portugal", countryCode: "PT" },
  krakow: { ip: "2001:db8:c0a:11::7", location: "Kraków, Poland", countryCode: "PL" },
  saoPaulo: { ip: "192.0.2.200", location: "São Paulo, Brazil", countryCode: "BR" },
});

// The sessions, oldest story first. Times are seconds before the seed runs. A session that
// reached a limit names when it ended, and its sign-in or last activity follows from the
// configured limit. An active session is moved inside the limits when they are shorter than
// its times. Each account's first session is its sign-up.
const DEMO_SESSIONS = [
  // Maya, the admin, works from the Berlin office and travels.
  session("maya-signup", "maya", "chromeMac", "berlinOffice", {
    end: { reason: "absolute_timeout", ago: 22 * DAY },
  }),
  session("maya-mac", "maya", "chromeMac", "berlinOffice", {
    signedInAgo: 22 * DAY - 30 * MINUTE,
    end: { reason: "signed_out", ago: 16 * DAY },
  }),
  session("maya-phone", "maya", "safariIphone", "berlinHome", {
    signedInAgo: 20 * DAY,
    end: { reason: "password_changed", ago: 17 * DAY + 25 * MINUTE, by: "maya-mac" },
  }),
  // Someone with Maya's password: she reports the alert from her phone, then changes the
  // password on her laptop, which also signs the phone out.
  session("maya-intruder", "maya", "chromeWindows", "saoPaulo", {
    signedInAgo: 17 * DAY + 43 * MINUTE,
    end: { reason: "reported_by_user", ago: 17 * DAY + 30 * MINUTE, by: "maya-phone" },
  }),
  session("maya-ipad", "maya", "safariIpad", "rotterdam", {
    signedInAgo: 13 * DAY,
    end: { reason: "idle_timeout", ago: 12 * DAY },
  }),
  session("maya-laptop", "maya", "chromeMac", "berlinOffice", {
    signedInAgo: 6 * DAY,
    lastActiveAgo: 4 * MINUTE,
    name: "Work laptop",
  }),
  session("maya-phone-safari", "maya", "safariIphone", "berlinHome", {
    signedInAgo: 5 * DAY,
    lastActiveAgo: 18 * MINUTE,
  }),
  session("maya-conference", "maya", "firefoxUbuntu", "lisbon", {
    signedInAgo: 4 * DAY,
    end: { reason: "revoked_by_user", ago: 3 * DAY, by: "maya-laptop" },
  }),
  // A second session of the same phone and network: the devices page groups the two.
  session("maya-phone-app", "maya", "safariIphone", "berlinHome", {
    signedInAgo: 2 * DAY,
    lastActiveAgo: 9 * MINUTE,
  }),
  session("maya-meeting-room", "maya", "edgeWindows", "munich", {
    signedInAgo: DAY + 3 * HOUR,
    end: { reason: "signed_out", ago: DAY + HOUR },
  }),
  session("maya-vpn", "maya", "firefoxWindows", "officeVpn", {
    signedInAgo: 5 * HOUR,
    lastActiveAgo: 14 * MINUTE,
  }),

  // Priya, made an admin three days ago.
  session("priya-signup", "priya", "chromeMac", "copenhagen", {
    end: { reason: "absolute_timeout", ago: 20 * DAY },
  }),
  session("priya-ipad", "priya", "safariIpad", "copenhagen", {
    signedInAgo: 19 * DAY,
    end: { reason: "signed_out", ago: 18 * DAY },
  }),
  session("priya-mac", "priya", "chromeMac", "copenhagen", {
    signedInAgo: 4 * DAY,
    lastActiveAgo: 7 * MINUTE,
  }),
  session("priya-ipad-today", "priya", "safariIpad", "copenhagen", {
    signedInAgo: 2 * DAY,
    lastActiveAgo: 21 * MINUTE,
  }),

  // Jonas, a member in Hamburg.
  session("jonas-signup", "jonas", "firefoxWindows", "hamburg", {
    end: { reason: "absolute_timeout", ago: 18 * DAY },
  }),
  session("jonas-phone", "jonas", "chromeAndroid", "hamburg", {
    signedInAgo: 8 * DAY,
    end: { reason: "idle_timeout", ago: 8 * DAY - 2 * HOUR },
  }),
  session("jonas-pc", "jonas", "firefoxWindows", "hamburg", {
    signedInAgo: 3 * DAY,
    lastActiveAgo: 3 * MINUTE,
  }),
  session("jonas-phone-today", "jonas", "chromeAndroid", "hamburg", {
    signedInAgo: DAY,
    lastActiveAgo: 12 * MINUTE,
  }),

  // Tomás, a member in Lisbon.
  session("tomas-signup", "tomas", "chromeChromebook", "lisbon", {
    signedInAgo: 12 * DAY + 5 * HOUR,
    end: { reason: "signed_out", ago: 11 * DAY },
  }),
  session("tomas-phone", "tomas", "safariIphone", "lisbon", {
    signedInAgo: 6 * DAY,
    lastActiveAgo: 16 * MINUTE,
  }),
  session("tomas-chromebook", "tomas", "chromeChromebook", "lisbon", {
    signedInAgo: 2 * DAY,
    lastActiveAgo: 5 * MINUTE,
  }),

  // Lena, a member in Kraków.
  session("lena-signup", "lena", "edgeWindows", "krakow", {
    signedInAgo: 5 * DAY + 12 * HOUR,
    end: { reason: "signed_out", ago: 5 * DAY },
  }),
  session("lena-linux", "lena", "firefoxUbuntu", "krakow", {
    signedInAgo: 4 * DAY,
    end: { reason: "idle_timeout", ago: 3 * DAY },
  }),
  session("lena-pc", "lena", "edgeWindows", "krakow", {
    signedInAgo: 20 * HOUR,
    lastActiveAgo: 10 * MINUTE,
  }),
];

// Each account's way into Northwind Robotics, in seconds after its sign-up. Maya created the
// organization, and she added the others, who then switched to it.
const DEMO_JOINS = {
  maya: { createdAfter: 10 * MINUTE },
  priya: { addedBy: "maya-signup", addedAfter: 20 * MINUTE, switchedAfter: 30 * MINUTE },
  jonas: { addedBy: "maya-signup", addedAfter: 15 * MINUTE, switchedAfter: 25 * MINUTE },
  tomas: { addedBy: "maya-ipad", addedAfter: 20 * MINUTE, switchedAfter: 40 * MINUTE },
  lena: { addedBy: "maya-laptop", addedAfter: 10 * MINUTE, switchedAfter: 15 * MINUTE },
};

// Events that no session start or end implies. `ago` is seconds before the seed runs, or
// `after` is seconds after the sign-in of the session `by`, which sent the request.
const DEMO_EVENTS = [
  {
    type: "sign_in_failed",
    user: "maya",
    device: "chromeWindows",
    place: "saoPaulo",
    ago: 17 * DAY + 45 * MINUTE,
  },
  {
    type: "sign_in_failed",
    user: "maya",
    device: "chromeWindows",
    place: "saoPaulo",
    ago: 17 * DAY + 44 * MINUTE,
  },
  {
    type: "session_renamed",
    user: "maya",
    by: "maya-laptop",
    target: "maya-laptop",
    after: 2 * MINUTE,
  },
  {
    type: "sign_in_failed",
    user: "maya",
    by: "maya-laptop",
    step: "password_confirmation",
    ago: 3 * DAY + 6 * MINUTE,
  },
  { type: "password_verified", user: "maya", by: "maya-laptop", ago: 3 * DAY + 5 * MINUTE },
  {
    type: "role_changed",
    user: "priya",
    by: "maya-laptop",
    from: "member",
    to: "admin",
    ago: 3 * DAY + 4 * MINUTE,
  },
];

function session(key, user, device, place, options) {
  return { key, user, device, place, ...options };
}

/** Returns the device key the app stores for a device, as lib/device/device-key.ts builds it. */
export function demoDeviceKey(device) {
  const os = device.os?.replace(/ \d+$/, "") ?? "unknown";
  return `${device.browser ?? "unknown"}|${os}|${device.deviceType}`.toLowerCase();
}

/** Returns the organization name and slug of an account's personal workspace. */
function personalWorkspace(account) {
  // Sign-up names the workspace like this (personalOrganizationName in lib/auth/accounts.ts).
  const name = `${account.displayName}'s workspace`;
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return { name, slug: `${base}-demo` };
}

/** Slugs of every organization the seed creates: Northwind Robotics and the personal ones. */
export function demoOrganizationSlugs() {
  return [
    DEMO_ORGANIZATION.slug,
    ...DEMO_ACCOUNTS.map((account) => personalWorkspace(account).slug),
  ];
}

export const DEFAULT_SESSION_LIMITS = Object.freeze({
  absoluteTimeoutSeconds: 7 * DAY,
  idleTimeoutSeconds: 30 * MINUTE,
});

/**
 * Reads the app-wide session limits with the rules of lib/env.ts: unset or empty means the
 * default, anything else must be a whole number of seconds of at least the minimum.
 */
export function parseSessionLimits(env) {
  return {
    absoluteTimeoutSeconds: parseSeconds(
      "SESSION_ABSOLUTE_TIMEOUT_SECONDS",
      env.SESSION_ABSOLUTE_TIMEOUT_SECONDS,
      DEFAULT_SESSION_LIMITS.absoluteTimeoutSeconds,
      10,
    ),
    idleTimeoutSeconds: parseSeconds(
      "SESSION_IDLE_TIMEOUT_SECONDS",
      env.SESSION_IDLE_TIMEOUT_SECONDS,
      DEFAULT_SESSION_LIMITS.idleTimeoutSeconds,
      5,
    ),
  };
}

function parseSeconds(name, raw, defaultSeconds, minimum) {
  if (raw === undefined || raw.trim() === "") return defaultSeconds;
  const seconds = Number(raw);
  if (!Number.isSafeInteger(seconds) || seconds < minimum) {
    throw new Error(
      `Invalid ${name} "${raw}". Set it to a whole number of seconds, ${minimum} or more.`,
    );
  }
  return seconds;
}

const randomHash = () => createHash("sha256").update(randomBytes(32)).digest("base64url");

/**
 * Builds every demo row, with new ids and times relative to `now`, without touching a
 * database. Password hashes are left out (`passwordHash: null`), and `seedDemo` adds them.
 */
export function buildDemoData({ now = new Date(), limits = DEFAULT_SESSION_LIMITS } = {}) {
  const at = (secondsAgo) => new Date(now.getTime() - secondsAgo * 1000);
  const sessions = placeSessions(limits);
  const sessionsByKey = new Map(sessions.map((row) => [row.key, row]));
  const signUps = new Map();
  for (const row of [...sessions].sort((a, b) => b.createdAgo - a.createdAgo)) {
    if (!signUps.has(row.user)) signUps.set(row.user, row);
  }

  const users = DEMO_ACCOUNTS.map((account) => ({
    key: account.key,
    id: randomUUID(),
    email: account.email,
    displayName: account.displayName,
    passwordHash: null,
    createdAt: at(signUps.get(account.key).createdAgo),
  }));
  const userIds = new Map(users.map((user) => [user.key, user.id]));
  const northwind = { id: randomUUID(), ...DEMO_ORGANIZATION, createdAt: null };
  const organizations = [northwind];
  const memberships = [];
  const events = [];
  const eventFrom = (type, user, source, time, extra = {}) =>
    events.push({
      id: randomUUID(),
      type,
      userId: userIds.get(user),
      sessionId: extra.sessionId ?? null,
      ip: DEMO_PLACES[source.place].ip,
      userAgent: DEMO_DEVICES[source.device].userAgent,
      detail: extra.detail ?? null,
      createdAt: time,
    });

  addMemberships({ users, signUps, sessionsByKey, organizations, memberships, at, eventFrom });

  addSessionEvents(sessions, sessionsByKey, { at, eventFrom });
  addStoryEvents(sessionsByKey, { at, eventFrom, userIds, northwind });

  const sessionRows = sessions.map((row) =>
    toSessionRow(row, { at, userIds, northwindId: northwind.id }),
  );
  events.sort((a, b) => a.createdAt - b.createdAt);
  return { users, organizations, memberships, sessions: sessionRows, events };
}

/**
 * Adds each account's personal workspace and its membership in Northwind Robotics, with the
 * events of joining it. Sets the creation time of Northwind Robotics, the first organization in
 * `organizations`.
 */
function addMemberships({
  users,
  signUps,
  sessionsByKey,
  organizations,
  memberships,
  at,
  eventFrom,
}) {
  const northwind = organizations[0];
  for (const account of DEMO_ACCOUNTS) {
    const user = users.find((row) => row.key === account.key);
    const signUp = signUps.get(account.key);
    const join = DEMO_JOINS[account.key];
    const personal = { id: randomUUID(), ...personalWorkspace(account), createdAt: user.createdAt };
    organizations.push(personal);
    memberships.push({
      userId: user.id,
      organizationId: personal.id,
      role: "admin",
      createdAt: user.createdAt,
      lastUsedAt: user.createdAt,
    });

    const joinedAgo = signUp.createdAgo - (join.createdAfter ?? join.addedAfter);
    const switchedAgo = signUp.createdAgo - (join.createdAfter ?? join.switchedAfter);
    if (join.createdAfter !== undefined) northwind.createdAt = at(joinedAgo);
    // The role before any role change of the story.
    const roleChange = DEMO_EVENTS.find(
      (event) => event.type === "role_changed" && event.user === account.key,
    );
    const initialRole = roleChange?.from ?? account.role;
    memberships.push({
      userId: user.id,
      organizationId: northwind.id,
      role: account.role,
      createdAt: at(joinedAgo),
      lastUsedAt: at(switchedAgo),
    });
    if (join.addedBy) {
      const admin = sessionsByKey.get(join.addedBy);
      eventFrom("member_added", account.key, admin, at(joinedAgo), {
        detail: {
          organizationId: northwind.id,
          addedBy: users.find((row) => row.key === admin.user).id,
        },
      });
    }
    eventFrom("organization_switched", account.key, signUp, at(switchedAgo), {
      sessionId: signUp.id,
      detail: { organizationId: northwind.id, role: initialRole },
    });
  }
}

/**
 * Turns the session specs into times (seconds ago) within `limits`, with ids, and decides for
 * each sign-in whether it was new, as createSession in lib/auth/sessions.ts does.
 */
function placeSessions(limits) {
  const placed = DEMO_SESSIONS.map((spec) => ({
    ...spec,
    id: randomUUID(),
    ...placeTimes(spec, limits),
  }));

  const byTime = [...placed].sort((a, b) => b.createdAgo - a.createdAgo);
  for (const row of byTime) {
    const country = DEMO_PLACES[row.place].countryCode;
    const key = demoDeviceKey(DEMO_DEVICES[row.device]);
    const earlier = byTime.filter(
      (other) => other.user === row.user && other.createdAgo > row.createdAgo,
    );
    // A session reported as not the owner's, before this sign-in, makes nothing known.
    const trusted = earlier.filter(
      (other) => !(other.end?.reason === "reported_by_user" && other.endedAgo >= row.createdAgo),
    );
    const knownDevice = trusted.some((other) => demoDeviceKey(DEMO_DEVICES[other.device]) === key);
    const knownCountry = trusted.some((other) => DEMO_PLACES[other.place].countryCode === country);
    row.newDevice = earlier.length > 0 && !knownDevice;
    row.newCountry = earlier.length > 0 && country !== null && !knownCountry;
  }
  return placed;
}

/**
 * Returns the sign-in, last activity and end of a session in seconds ago, moved where needed
 * so that the session obeys `limits`. An active session is live now, a timed-out one ended at
 * its deadline, and any other one was live when it ended.
 */
function placeTimes(spec, limits) {
  const { absoluteTimeoutSeconds: absolute, idleTimeoutSeconds: idle } = limits;
  if (!spec.end) {
    const createdAgo = Math.min(spec.signedInAgo, Math.floor(absolute * 0.9));
    const lastActiveAgo = Math.min(spec.lastActiveAgo, Math.floor(idle * 0.8), createdAgo);
    return { createdAgo, lastActiveAgo, endedAgo: null };
  }

  const endedAgo = spec.end.ago;
  switch (spec.end.reason) {
    case "absolute_timeout": {
      const createdAgo = endedAgo + absolute;
      return { createdAgo, lastActiveAgo: lastUseBefore(endedAgo, idle, createdAgo), endedAgo };
    }
    case "idle_timeout": {
      const lastActiveAgo = endedAgo + idle;
      // Signed in before that activity, and recently enough that the idle deadline came first.
      // NOTE: with an idle limit as long as the absolute one no session can end idle, and
      // the sign-in moves to the activity's time.
      const createdAgo = Math.min(
        Math.max(spec.signedInAgo, lastActiveAgo),
        endedAgo + absolute - 1,
      );
      return { createdAgo, lastActiveAgo: Math.min(lastActiveAgo, createdAgo), endedAgo };
    }
    case "signed_out": {
      const createdAgo = Math.min(spec.signedInAgo, endedAgo + Math.floor(absolute * 0.9));
      return { createdAgo, lastActiveAgo: endedAgo, endedAgo };
    }
    default: {
      // Revoked or reported from elsewhere: this device was last used a little before.
      const createdAgo = Math.min(spec.signedInAgo, endedAgo + Math.floor(absolute * 0.9));
      return { createdAgo, lastActiveAgo: lastUseBefore(endedAgo, idle, createdAgo), endedAgo };
    }
  }
}

// A few minutes before the end, well inside the idle limit, and not before the sign-in.
function lastUseBefore(endedAgo, idle, createdAgo) {
  return Math.min(endedAgo + Math.min(5 * MINUTE, Math.floor(idle / 2)), createdAgo);
}

const STATUS_OF_REASON = {
  signed_out: "ended",
  revoked_by_user: "revoked",
  password_changed: "revoked",
  reported_by_user: "revoked",
  idle_timeout: "expired",
  absolute_timeout: "expired",
};

function addSessionEvents(sessions, sessionsByKey, { at, eventFrom }) {
  const firstOfUser = new Set();
  for (const row of [...sessions].sort((a, b) => b.createdAgo - a.createdAgo)) {
    const signUp = !firstOfUser.has(row.user);
    firstOfUser.add(row.user);
    const detail = {};
    if (row.newDevice) detail.newDevice = "true";
    if (row.newCountry) detail.newCountry = "true";
    eventFrom(signUp ? "sign_up" : "sign_in", row.user, row, at(row.createdAgo), {
      sessionId: row.id,
      detail: Object.keys(detail).length > 0 ? detail : null,
    });
  }

  const passwordChanges = new Map();
  for (const row of sessions) {
    if (!row.end) continue;
    const endedAt = at(row.endedAgo);
    const by = row.end.by ? sessionsByKey.get(row.end.by) : row;
    switch (row.end.reason) {
      case "signed_out":
        eventFrom("sign_out", row.user, row, endedAt, { sessionId: row.id });
        break;
      case "idle_timeout":
      case "absolute_timeout":
        eventFrom("session_expired", row.user, row, endedAt, {
          sessionId: row.id,
          detail: { reason: row.end.reason },
        });
        break;
      case "revoked_by_user":
        eventFrom("session_revoked", row.user, by, endedAt, {
          sessionId: row.id,
          detail: { revokedBy: by.id },
        });
        break;
      case "reported_by_user":
        eventFrom("session_reported", row.user, by, endedAt, { sessionId: row.id });
        break;
      case "password_changed": {
        const change = passwordChanges.get(by.key) ?? { by, endedAt, count: 0 };
        change.count += 1;
        passwordChanges.set(by.key, change);
        break;
      }
    }
  }
  for (const { by, endedAt, count } of passwordChanges.values()) {
    eventFrom("password_changed", by.user, by, endedAt, {
      sessionId: by.id,
      detail: { sessionsSignedOut: String(count) },
    });
  }
}

function addStoryEvents(sessionsByKey, { at, eventFrom, userIds, northwind }) {
  for (const spec of DEMO_EVENTS) {
    const by = spec.by ? sessionsByKey.get(spec.by) : null;
    const time = spec.after !== undefined ? at(by.createdAgo - spec.after) : at(spec.ago);
    const source = by ?? spec;
    switch (spec.type) {
      case "sign_in_failed":
        // Only a failed password confirmation comes from a signed-in session.
        eventFrom("sign_in_failed", spec.user, source, time, {
          sessionId: by?.id ?? null,
          detail: spec.step ? { step: spec.step } : null,
        });
        break;
      case "password_verified":
        eventFrom("password_verified", spec.user, source, time, { sessionId: by.id });
        by.lastVerifiedAgo = spec.ago;
        break;
      case "session_renamed": {
        const target = sessionsByKey.get(spec.target);
        eventFrom("session_renamed", spec.user, source, time, {
          sessionId: target.id,
          detail: { name: target.name, renamedBy: by.id },
        });
        break;
      }
      case "role_changed":
        // Stored under the member, with the request of the admin who made the change.
        eventFrom("role_changed", spec.user, source, time, {
          detail: {
            organizationId: northwind.id,
            from: spec.from,
            to: spec.to,
            changedBy: userIds.get(by.user),
          },
        });
        for (const row of sessionsByKey.values()) {
          if (row.user !== spec.user) continue;
          // A role change rewrites the active sessions; earlier ones keep the old role.
          const activeThen = row.createdAgo > spec.ago && (row.endedAgo ?? -1) < spec.ago;
          const startedAfter = row.createdAgo < spec.ago;
          row.role = activeThen || startedAfter ? spec.to : spec.from;
        }
        break;
      default:
        throw new Error(`No demo event of type ${spec.type}.`);
    }
  }
}

function toSessionRow(row, { at, userIds, northwindId }) {
  const device = DEMO_DEVICES[row.device];
  const place = DEMO_PLACES[row.place];
  const account = DEMO_ACCOUNTS.find((candidate) => candidate.key === row.user);
  const ended = row.end !== undefined;
  return {
    key: row.key,
    id: row.id,
    secretHash: randomHash(),
    userId: userIds.get(row.user),
    status: ended ? STATUS_OF_REASON[row.end.reason] : "active",
    endReason: ended ? row.end.reason : null,
    createdAt: at(row.createdAgo),
    lastActiveAt: at(row.lastActiveAgo),
    endedAt: ended ? at(row.endedAgo) : null,
    lastVerifiedAt: at(row.lastVerifiedAgo ?? row.createdAgo),
    userAgent: device.userAgent,
    browser: device.browser,
    os: device.os,
    deviceType: device.deviceType,
    ip: place.ip,
    location: place.location,
    countryCode: place.countryCode,
    deviceKey: demoDeviceKey(device),
    newDevice: row.newDevice,
    newCountry: row.newCountry,
    name: row.name ?? null,
    // A new sign-in gets a report secret for its alert. The secret was never sent, so the
    // hash of a random value takes its place.
    reportSecretHash: row.newDevice || row.newCountry ? randomHash() : null,
    activeOrganizationId: northwindId,
    activeRole: row.role ?? account.role,
  };
}

// Columns of each table the seed writes, by the property of the built rows that fills them.
const COLUMNS = {
  users: {
    id: "id",
    email: "email",
    displayName: "display_name",
    passwordHash: "password_hash",
    createdAt: "created_at",
  },
  organizations: { id: "id", slug: "slug", name: "name", createdAt: "created_at" },
  memberships: {
    userId: "user_id",
    organizationId: "organization_id",
    role: "role",
    createdAt: "created_at",
    lastUsedAt: "last_used_at",
  },
  sessions: {
    id: "id",
    secretHash: "secret_hash",
    userId: "user_id",
    status: "status",
    endReason: "end_reason",
    createdAt: "created_at",
    lastActiveAt: "last_active_at",
    endedAt: "ended_at",
    lastVerifiedAt: "last_verified_at",
    userAgent: "user_agent",
    browser: "browser",
    os: "os",
    deviceType: "device_type",
    ip: "ip",
    location: "location",
    countryCode: "country_code",
    deviceKey: "device_key",
    newDevice: "new_device",
    newCountry: "new_country",
    name: "name",
    reportSecretHash: "report_secret_hash",
    activeOrganizationId: "active_organization_id",
    activeRole: "active_role",
  },
  security_events: {
    id: "id",
    type: "type",
    userId: "user_id",
    sessionId: "session_id",
    ip: "ip",
    userAgent: "user_agent",
    detail: "detail",
    createdAt: "created_at",
  },
};

// Dates go in as ISO strings and detail as JSON text, which both drivers pass on alike and
// Postgres converts to the column's type.
function toParameter(value) {
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return value;
}

/** Inserts `rows` into `table` with one statement. `query(statement, params)` runs it. */
async function insertRows(query, table, rows) {
  const columns = COLUMNS[table];
  const properties = Object.keys(columns);
  const params = [];
  const tuples = rows.map((row) => {
    const placeholders = properties.map((property) => {
      params.push(toParameter(row[property]));
      return `$${params.length}`;
    });
    return `(${placeholders.join(", ")})`;
  });
  await query(
    `insert into ${table} (${Object.values(columns).join(", ")}) values ${tuples.join(", ")}`,
    params,
  );
}

const placeholders = (values, offset = 0) => values.map((_, index) => `$${offset + index + 1}`);
const demoEmails = () => DEMO_ACCOUNTS.map((account) => account.email.toLowerCase());

/** Reports whether the demo organization exists and how many demo accounts do. */
export async function findDemoData(query) {
  const emails = demoEmails();
  const [row] = await query(
    `select exists(select 1 from organizations where slug = $1) as organization,
            (select count(*)::integer from users
             where lower(email) in (${placeholders(emails, 1).join(", ")})) as accounts`,
    [DEMO_ORGANIZATION.slug, ...emails],
  );
  return { organization: row.organization === true, accounts: Number(row.accounts) };
}

/**
 * Deletes the demo accounts (with their memberships, sessions and security events) and the
 * demo organizations, and returns how many of each it deleted. Other accounts lose their
 * membership in a demo organization, and their sessions working in one keep running without an
 * organization, as after a removal by an admin.
 */
export async function deleteDemoData(query) {
  const slugs = demoOrganizationSlugs();
  const slugList = placeholders(slugs).join(", ");
  // Deleting an organization only nulls this column, which the sessions check constraint
  // rejects while active_role is set, so both are cleared first.
  await query(
    `update sessions set active_organization_id = null, active_role = null
     where active_organization_id in (select id from organizations where slug in (${slugList}))`,
    slugs,
  );
  const emails = demoEmails();
  const [users] = await query(
    `with deleted as (
       delete from users where lower(email) in (${placeholders(emails).join(", ")}) returning 1
     )
     select count(*)::integer as count from deleted`,
    emails,
  );
  const [organizations] = await query(
    `with deleted as (delete from organizations where slug in (${slugList}) returning 1)
     select count(*)::integer as count from deleted`,
    slugs,
  );
  return { accounts: Number(users.count), organizations: Number(organizations.count) };
}

/**
 * Seeds the demo data unless the demo organization exists; with `reset`, deletes the demo data
 * first. Returns `{ created, replaced, counts }`. Throws, changing nothing, when demo accounts
 * exist without the organization. Run it in one transaction: `query(statement, params)` runs
 * one statement and resolves to its rows.
 */
export async function seedDemo(query, { now = new Date(), limits, reset = false } = {}) {
  const existing = await findDemoData(query);
  if (!reset && existing.organization) return { created: false, replaced: false, counts: null };
  if (!reset && existing.accounts > 0) {
    throw new Error(
      `${existing.accounts} of the demo accounts (${demoEmails().join(", ")}) exist, but the ` +
        `demo organization "${DEMO_ORGANIZATION.name}" does not. Run npm run db:seed -- --reset ` +
        "to delete those accounts and seed the demo again.",
    );
  }
  const replaced = reset && (existing.organization || existing.accounts > 0);
  if (reset) await deleteDemoData(query);

  const data = buildDemoData({ now, limits });
  for (const user of data.users) user.passwordHash = await hash(DEMO_PASSWORD, ARGON2_OPTIONS);
  await insertRows(query, "users", data.users);
  await insertRows(query, "organizations", data.organizations);
  await insertRows(query, "memberships", data.memberships);
  await insertRows(query, "sessions", data.sessions);
  await insertRows(query, "security_events", data.events);
  return {
    created: true,
    replaced,
    counts: {
      accounts: data.users.length,
      organizations: data.organizations.length,
      sessions: data.sessions.length,
      activeSessions: data.sessions.filter((row) => row.status === "active").length,
      securityEvents: data.events.length,
    },
  };
}

const USAGE = `Usage: npm run db:seed [-- --reset]

Adds a demo organization, "${DEMO_ORGANIZATION.name}", with an admin and four members,
each with a personal workspace, several devices and a month of sign-ins, sign-outs and
security events. Sign in as ${DEMO_ACCOUNTS[0].email} with the password
${DEMO_PASSWORD} (every demo account has it).

Without options it changes nothing when the demo organization already exists.
--reset  deletes the demo accounts and organizations first, then seeds them again
         with fresh times. Other accounts lose their membership in them.

Refuses to run with NODE_ENV=production.

Database: Postgres at DATABASE_URL when it is set, otherwise the PGlite folder at
PGLITE_DATA_DIR (default .data/pglite-development), created when missing. The
migrations in drizzle/ are applied first. Settings come from the environment and the
.env files that Next.js reads in development.

Stop the dev server first when using PGlite: two processes must not open one PGlite folder.`;

const PRODUCTION_REFUSAL =
  "npm run db:seed does not run with NODE_ENV=production: it adds accounts whose password " +
  "is published in the docs. Seed a development or test database instead.";

/**
 * Opens the app's database, applies the migrations, and returns `{ description, transaction,
 * close }`. `transaction(work)` runs `work(query)` in one transaction.
 */
async function openDatabase(env) {
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) return openPostgres(databaseUrl);
  return openPglite(env.PGLITE_DATA_DIR?.trim() || ".data/pglite-development");
}

async function openPostgres(url) {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error("DATABASE_URL must start with postgres:// or postgresql://.");
  }
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  // Two connections: the reserved one holds the migration lock while Drizzle migrates on the
  // other, as in lib/db/client.ts.
  const client = postgres(url, { max: 2, onnotice: () => {} });
  try {
    const lockConnection = await client.reserve();
    try {
      await lockConnection`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
      await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await lockConnection`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.catch(() => {});
      lockConnection.release();
    }
  } catch (error) {
    await client.end({ timeout: 5 });
    throw error;
  }
  return {
    description: "Postgres at DATABASE_URL",
    transaction: (work) =>
      client.begin((sql) => work((statement, params = []) => sql.unsafe(statement, params))),
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir) {
  if (dataDir.startsWith("memory://")) {
    throw new Error(
      `PGLITE_DATA_DIR is "${dataDir}", an in-memory database that ends with this command. ` +
        "Set PGLITE_DATA_DIR to the app's data folder or DATABASE_URL to a server.",
    );
  }
  const folder = path.resolve(dataDir);
  if (existsSync(folder)) {
    // PGlite writes postmaster.pid while a process has the folder open and removes it on a
    // clean close, as scripts/retention.mjs explains.
    if (existsSync(path.join(folder, "postmaster.pid"))) {
      throw new Error(
        `${folder} looks open in another process (its postmaster.pid file exists). Stop the ` +
          "dev server or app first: two processes on one PGlite folder lose data. If no " +
          "process uses the folder, the server was stopped without closing it; start and " +
          "stop it once with npm run dev and Ctrl-C, then run this command again.",
      );
    }
    if (!existsSync(path.join(folder, "PG_VERSION")) && readdirSync(folder).length > 0) {
      throw new Error(
        `${folder} is not a PGlite database folder (it has files but no PG_VERSION). Set ` +
          "PGLITE_DATA_DIR to the folder the app uses, or to a new one.",
      );
    }
  }
  // PGlite does not create missing parent folders.
  await mkdir(path.dirname(folder), { recursive: true });
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const client = new PGlite(folder);
  try {
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    await client.close();
    throw error;
  }
  return {
    description: `PGlite at ${folder}`,
    transaction: (work) =>
      client.transaction((tx) =>
        work(async (statement, params = []) => (await tx.query(statement, params)).rows),
      ),
    close: () => client.close(),
  };
}

function describeCounts(counts) {
  return (
    `${counts.accounts} accounts, ${counts.organizations} organizations, ${counts.sessions} ` +
    `sessions (${counts.activeSessions} active) and ${counts.securityEvents} security events`
  );
}

async function main(args) {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const unknown = args.find((arg) => arg !== "--reset");
  if (unknown !== undefined) {
    console.error(`Unknown argument: ${unknown}\n\n${USAGE}`);
    return 2;
  }
  if (process.env.NODE_ENV === "production") {
    console.error(PRODUCTION_REFUSAL);
    return 1;
  }

  // The files `next dev` reads.
  nextEnv.loadEnvConfig(process.cwd(), true);
  // An .env file may set NODE_ENV too.
  if (process.env.NODE_ENV === "production") {
    console.error(PRODUCTION_REFUSAL);
    return 1;
  }
  const limits = parseSessionLimits(process.env);
  const database = await openDatabase(process.env);
  try {
    const result = await database.transaction((query) =>
      seedDemo(query, { limits, reset: args.includes("--reset") }),
    );
    if (!result.created) {
      console.log(
        `${database.description}: the demo organization "${DEMO_ORGANIZATION.name}" already ` +
          "exists, so nothing was changed. Run npm run db:seed -- --reset to seed it again " +
          "with fresh times.",
      );
      return 0;
    }
    const verb = result.replaced ? "Replaced the demo data with" : "Seeded";
    console.log(`${database.description}: ${verb} ${describeCounts(result.counts)}.`);
    console.log(
      `Sign in as ${DEMO_ACCOUNTS[0].email} with the password ${DEMO_PASSWORD}. The other ` +
        `demo accounts (${demoEmails().slice(1).join(", ")}) use the same password.`,
    );
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${database.description}: ${message}`);
  } finally {
    await database.close();
  }
}

function isEntryPoint() {
  if (!process.argv[1]) return false;
  return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(`Seeding failed: ${error instanceof Error ? error.message : error}`);
      process.exitCode = 1;
    },
  );
}
