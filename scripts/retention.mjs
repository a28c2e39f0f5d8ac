// Deletes session history older than SESSION_HISTORY_RETENTION_DAYS: sessions that are no
// longer active and ended before the cutoff, and security events created before it. Both
// contain IP addresses and user agents, which should not be kept forever. IP addresses go
// sooner: after IP_RETENTION_DAYS the rows that remain keep their coarse location but lose
// the address.
//
// Usage: npm run db:retention
//
// Plain JavaScript and SQL, so it runs with `node` alone on a server that has no TypeScript
// tooling. It reads the same .env files as Next.js (through @next/env) and opens the same
// database as the app: Postgres when DATABASE_URL is set, otherwise the PGlite folder.
//
// It also deletes sign-in throttle rows whose lock and window have passed: they no longer
// affect any sign-in, and they contain email addresses and IP addresses.
//
// NOTE: a PGlite folder must never be opened by two processes at once: PGlite has no lock and
// corrupts the folder without an error. Stop the dev server (or `next start`) before running
// this command against PGlite. A Postgres server has no such restriction.

import { existsSync } from "node:fs";
import path from "node:path";

import nextEnv from "@next/env";
import { isEntryPoint } from "./entry-point.mjs";

export const DEFAULT_RETENTION_DAYS = 90;
export const DEFAULT_IP_RETENTION_DAYS = 30;

const USAGE = `Usage: npm run db:retention

Deletes sessions that ended more than SESSION_HISTORY_RETENTION_DAYS days ago
(default ${DEFAULT_RETENTION_DAYS}) and security events older than that. Active sessions
are kept, however old they are.

Then clears the IP address of sessions that ended more than IP_RETENTION_DAYS days
ago (default ${DEFAULT_IP_RETENTION_DAYS}) and of security events older than that. Their
location and country stay. Active sessions keep their address.

Also deletes expired sign-in throttle rows, whatever the retention periods: a row
whose lock and counting window have passed no longer affects any sign-in.

Database: Postgres at DATABASE_URL when it is set, otherwise the PGlite folder at
PGLITE_DATA_DIR (default .data/pglite-development, or .data/pglite-production when
NODE_ENV=production). Settings come from the environment and the .env files that
Next.js reads.

Stop the dev server first when using PGlite: two processes must not open one PGlite folder.`;

/**
 * Parses SESSION_HISTORY_RETENTION_DAYS with the rules of lib/env.ts: unset means the
 * default, anything else must be a whole number of at least 1.
 */
export function parseRetentionDays(raw) {
  return parseDays("SESSION_HISTORY_RETENTION_DAYS", raw, DEFAULT_RETENTION_DAYS);
}

/**
 * Parses IP_RETENTION_DAYS with the rules of lib/env.ts: unset or empty means the default,
 * anything else must be a whole number of at least 1.
 */
export function parseIpRetentionDays(raw) {
  const value = raw?.trim() === "" ? undefined : raw;
  return parseDays("IP_RETENTION_DAYS", value, DEFAULT_IP_RETENTION_DAYS);
}

function parseDays(name, raw, defaultDays) {
  if (raw === undefined) return defaultDays;
  const days = Number(raw);
  if (raw.trim() === "" || !Number.isSafeInteger(days) || days < 1) {
    throw new Error(`Invalid ${name} "${raw}". Set it to a whole number of days, 1 or more.`);
  }
  return days;
}

// The number goes into the SQL text, so it is checked here, not only by the parsers.
function requireDays(name, days) {
  if (!Number.isSafeInteger(days) || days < 1) {
    throw new Error(`Invalid ${name} ${days}. It must be a whole number, 1 or more.`);
  }
}

/**
 * Deletes the history older than `retentionDays` days and returns how many rows of each kind
 * it deleted. `query` runs one SQL statement and resolves to its rows.
 */
export async function deleteExpiredHistory(query, retentionDays) {
  requireDays("retentionDays", retentionDays);
  const cutoff = `now() - make_interval(days => ${retentionDays})`;

  const [events] = await query(
    `with deleted as (delete from security_events where created_at < ${cutoff} returning 1)
     select count(*)::integer as count from deleted`,
  );
  // status = 'active' guarantees ended_at is null (a check constraint), so active sessions
  // never match, however old they are.
  const [sessions] = await query(
    `with deleted as (
       delete from sessions where status <> 'active' and ended_at < ${cutoff} returning 1
     )
     select count(*)::integer as count from deleted`,
  );
  return { sessions: Number(sessions.count), securityEvents: Number(events.count) };
}

/**
 * Sets the IP address to null on sessions that ended more than `ipRetentionDays` days ago and
 * on security events older than that, and returns how many rows of each kind it changed.
 * `query` runs one SQL statement and resolves to its rows.
 */
export async function clearExpiredIps(query, ipRetentionDays) {
  requireDays("ipRetentionDays", ipRetentionDays);
  const cutoff = `now() - make_interval(days => ${ipRetentionDays})`;

  // status = 'active' guarantees ended_at is null, so active sessions keep their address.
  const [sessions] = await query(
    `with cleared as (
       update sessions set ip = null
       where status <> 'active' and ended_at < ${cutoff} and ip is not null
       returning 1
     )
     select count(*)::integer as count from cleared`,
  );
  const [events] = await query(
    `with cleared as (
       update security_events set ip = null
       where created_at < ${cutoff} and ip is not null
       returning 1
     )
     select count(*)::integer as count from cleared`,
  );
  return { sessions: Number(sessions.count), securityEvents: Number(events.count) };
}

/**
 * Deletes the sign-in throttle rows that have expired and returns how many it deleted.
 * `query` runs one SQL statement and resolves to its rows.
 */
export async function deleteExpiredThrottles(query) {
  const [throttles] = await query(
    `with deleted as (delete from sign_in_throttles where expires_at <= now() returning 1)
     select count(*)::integer as count from deleted`,
  );
  return Number(throttles.count);
}

/** Describes the result in one line, for the terminal. */
export function formatResult(result, retentionDays) {
  const sessions = result.sessions === 1 ? "session" : "sessions";
  const events = result.securityEvents === 1 ? "event" : "events";
  return (
    `Deleted ${result.sessions} ended ${sessions} and ${result.securityEvents} security ` +
    `${events} older than ${retentionDays} days.`
  );
}

/** Describes the result of clearExpiredIps in one line, for the terminal. */
export function formatIpResult(result, ipRetentionDays) {
  const sessions = result.sessions === 1 ? "session" : "sessions";
  const events = result.securityEvents === 1 ? "event" : "events";
  return (
    `Cleared the IP address of ${result.sessions} ended ${sessions} and ` +
    `${result.securityEvents} security ${events} older than ${ipRetentionDays} days.`
  );
}

/** Describes the result of deleteExpiredThrottles in one line, for the terminal. */
export function formatThrottleResult(count) {
  return `Deleted ${count} expired sign-in throttle ${count === 1 ? "row" : "rows"}.`;
}

/**
 * Opens the app's database and returns `{ description, failureHint, transaction, close }`.
 * `transaction(work)` runs `work(query)` in one transaction.
 */
async function openDatabase(env) {
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) return openPostgres(databaseUrl);

  const nodeEnv = env.NODE_ENV || "development";
  const dataDir = env.PGLITE_DATA_DIR?.trim() || `.data/pglite-${nodeEnv}`;
  return openPglite(dataDir);
}

async function openPostgres(url) {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error("DATABASE_URL must start with postgres:// or postgresql://.");
  }
  const { default: postgres } = await import("postgres");
  const client = postgres(url, { max: 1, onnotice: () => {} });
  return {
    description: "Postgres at DATABASE_URL",
    failureHint: "",
    transaction: (work) => client.begin((sql) => work((statement) => sql.unsafe(statement))),
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir) {
  if (dataDir.startsWith("memory://")) {
    throw new Error(
      `PGLITE_DATA_DIR is "${dataDir}", an in-memory database that no other process can ` +
        "reach. Set PGLITE_DATA_DIR to the app's data folder or DATABASE_URL to a server.",
    );
  }
  const folder = path.resolve(dataDir);
  if (!existsSync(folder)) {
    throw new Error(
      `No PGlite database folder at ${folder}. Start the app once (npm run dev) to create it, ` +
        "or set PGLITE_DATA_DIR to the folder the app uses, or DATABASE_URL to a server.",
    );
  }
  // Opening a folder without PG_VERSION would create a new, empty database in it.
  if (!existsSync(path.join(folder, "PG_VERSION"))) {
    throw new Error(
      `${folder} is not a PGlite database folder (it has no PG_VERSION file). ` +
        "Set PGLITE_DATA_DIR to the folder the app uses.",
    );
  }
  // PGlite writes postmaster.pid while a process has the folder open and removes it on a
  // clean close. Refusing while it exists never loses data; a server killed without a clean
  // close leaves the file behind, and the error message explains how to clear it.
  if (existsSync(path.join(folder, "postmaster.pid"))) {
    throw new Error(
      `${folder} looks open in another process (its postmaster.pid file exists). Stop the ` +
        "dev server or app first: two processes on one PGlite folder lose data. If no process " +
        "uses the folder, the server was stopped without closing it; start and stop it once " +
        "with npm run dev and Ctrl-C, then run this command again.",
    );
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const client = new PGlite(folder);
  return {
    description: `PGlite at ${folder}`,
    failureHint:
      "If the dev server is running, stop it first: two processes must not open one PGlite folder.",
    transaction: (work) =>
      client.transaction((tx) => work(async (statement) => (await tx.query(statement)).rows)),
    close: () => client.close(),
  };
}

async function requireTables(query) {
  const [row] = await query(
    `select to_regclass('public.sessions') is not null as sessions,
            to_regclass('public.security_events') is not null as events,
            to_regclass('public.sign_in_throttles') is not null as throttles`,
  );
  if (!row.sessions || !row.events || !row.throttles) {
    throw new Error(
      "The database has no sessions, security_events or sign_in_throttles table. Start the " +
        "app once so it applies the migrations in drizzle/.",
    );
  }
}

async function main(args) {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  if (args.length > 0) {
    console.error(`Unknown argument: ${args[0]}\n\n${USAGE}`);
    return 2;
  }

  // The same files `next dev` reads, or `next start` when NODE_ENV is production.
  nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production");
  const retentionDays = parseRetentionDays(process.env.SESSION_HISTORY_RETENTION_DAYS);
  const ipRetentionDays = parseIpRetentionDays(process.env.IP_RETENTION_DAYS);
  const database = await openDatabase(process.env);
  try {
    const { deleted, cleared, throttles } = await database.transaction(async (query) => {
      await requireTables(query);
      const deleted = await deleteExpiredHistory(query, retentionDays);
      const cleared = await clearExpiredIps(query, ipRetentionDays);
      const throttles = await deleteExpiredThrottles(query);
      return { deleted, cleared, throttles };
    });
    console.log(`${database.description}: ${formatResult(deleted, retentionDays)}`);
    console.log(`${database.description}: ${formatIpResult(cleared, ipRetentionDays)}`);
    console.log(`${database.description}: ${formatThrottleResult(throttles)}`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${database.description}: ${message} ${database.failureHint}`.trim());
  } finally {
    await database.close();
  }
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(`Retention failed: ${error instanceof Error ? error.message : error}`);
      process.exitCode = 1;
    },
  );
}
