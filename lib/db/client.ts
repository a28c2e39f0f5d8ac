import "server-only";

import { mkdir } from "node:fs/promises";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

import { getEnv } from "../env";
import { log } from "../log";
import { isDatabaseUnavailable, reportDatabaseUnavailable } from "./availability";
import * as schema from "./schema";

/** A Drizzle database over either driver; both speak the same Postgres dialect. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  driver: "postgres" | "pglite";
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL of a server. When absent, an embedded PGlite database is used. */
  databaseUrl?: string;
  /** PGlite data folder, or `memory://` for a throwaway in-memory database. */
  pgliteDataDir: string;
}

const MIGRATIONS_FOLDER = path.join(process.cwd(), "drizzle");
// Any fixed number works; it only has to be the same in every instance of the app.
const MIGRATION_LOCK_ID = 7_250_113;

/**
 * Connection pool settings for a Postgres server, as postgres.js 4.2 names them. Each default
 * below can be changed in the DATABASE_URL query string, for example
 * `postgres://app@db.internal/tessera?max=20&statement_timeout=10000`.
 */
export interface PoolSettings {
  /** Maximum number of connections the pool opens at once. */
  max: number;
  /** Seconds to open a connection, TCP and authentication included. */
  connect_timeout: number;
  /** Seconds an unused connection stays open. */
  idle_timeout: number;
  /** Seconds a query may wait for a free connection before it fails without being sent. */
  queue_timeout: number;
  /**
   * Seconds a query may wait for a connection and run, in total. A backstop above
   * statement_timeout for a server or network that goes silent, which TCP alone takes
   * minutes to notice.
   */
  query_timeout: number;
}

export const DEFAULT_POOL_SETTINGS: PoolSettings = {
  max: 10,
  connect_timeout: 5,
  idle_timeout: 30,
  queue_timeout: 5,
  query_timeout: 10,
};

/**
 * Milliseconds the server lets one statement run, set as a startup parameter on every pool
 * connection. A slower statement fails with SQLSTATE 57014, which `isDatabaseUnavailable`
 * counts as the database being unavailable.
 */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;

/**
 * Reads the pool settings of a postgres:// URL: the defaults, replaced by any of the same
 * names in its query string. Throws when one of those is not a whole number.
 */
export function readPoolSettings(url: string): PoolSettings {
  const query = new URLSearchParams(url.split("?")[1] ?? "");
  const settings = { ...DEFAULT_POOL_SETTINGS };
  for (const name of Object.keys(settings) as (keyof PoolSettings)[]) {
    const raw = query.get(name);
    if (raw === null) continue;
    const value = Number(raw);
    const minimum = name === "max" ? 1 : 0;
    if (raw.trim() === "" || !Number.isInteger(value) || value < minimum) {
      throw new Error(
        `DATABASE_URL parameter ${name} must be a whole number of at least ${minimum}, got "${raw}".`,
      );
    }
    settings[name] = value;
  }
  return settings;
}

/** Opens a database and applies the migrations in `drizzle/`. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.pgliteDataDir);
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
  const settings = readPoolSettings(url);
  await migratePostgresServer(url, settings.connect_timeout);

  const client = postgres(url, {
    ...settings,
    // A statement_timeout in the URL's query string replaces this one.
    connection: { statement_timeout: DEFAULT_STATEMENT_TIMEOUT_MS },
    // postgres.js waits up to 20 s between reconnection attempts by default (min(3^n / 100,
    // 20) s in postgres 4.2), and every query fails at once meanwhile. One second at most
    // brings pages back soon after an outage ends.
    backoff: (attempt: number) => Math.min(0.1 * 2 ** attempt, 1),
    onnotice: () => {},
  });
  const db = drizzlePostgres({ client, schema });
  log.info({ driver: "postgres", pool: settings }, "database ready");
  return { db, driver: "postgres", close: () => client.end({ timeout: 5 }) };
}

/**
 * Applies the migrations over a short-lived client of its own, without the pool's statement
 * timeout: a migration on a large table, or the wait for another instance's lock, may take
 * longer than any request should.
 */
async function migratePostgresServer(url: string, connectTimeoutSeconds: number): Promise<void> {
  // Two connections: the reserved one holds the lock while Drizzle's migration transaction
  // runs on the other.
  const client = postgres(url, {
    max: 2,
    connect_timeout: connectTimeoutSeconds,
    onnotice: () => {},
  });
  try {
    // Several app instances may start at once against one server; the advisory lock makes
    // them apply the migrations one after another instead of racing.
    const lockConnection = await client.reserve();
    try {
      await lockConnection`set statement_timeout = 0`;
      await lockConnection`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
      await migratePostgres(drizzlePostgres({ client, schema }), {
        migrationsFolder: MIGRATIONS_FOLDER,
      });
    } finally {
      await lockConnection`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.catch(() => {});
      lockConnection.release();
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith("memory://");
  // PGlite does not create missing parent folders.
  if (!inMemory) await mkdir(path.dirname(path.resolve(dataDir)), { recursive: true });

  // NOTE: two processes on one PGlite folder corrupt it without any error, so `next dev`,
  // `next start` and the tests each default to a folder of their own.
  const client = new PGlite(dataDir);
  const db = drizzlePglite({ client, schema });
  await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  log.info({ driver: "pglite", dataDir }, "database ready");
  return { db, driver: "pglite", close: () => client.close() };
}

// Cached on globalThis so that hot reloads in development reuse one database instead of
// opening a new PGlite instance (hundreds of MB each) per reload.
const globalForDb = globalThis as typeof globalThis & {
  tesseraDatabase?: Promise<DatabaseHandle>;
};

/** Returns the app's database, opening and migrating it on first use. */
export async function getDatabase(): Promise<DatabaseHandle> {
  if (!globalForDb.tesseraDatabase) {
    const env = getEnv();
    const opening = openDatabase({
      databaseUrl: env.databaseUrl,
      pgliteDataDir: env.pgliteDataDir,
    });
    globalForDb.tesseraDatabase = opening;
    // A failed open is not cached, so the next request tries again.
    opening.catch((error: unknown) => {
      if (isDatabaseUnavailable(error)) reportDatabaseUnavailable(error, "open database");
      else log.error({ err: error }, "opening the database failed");
      if (globalForDb.tesseraDatabase === opening) globalForDb.tesseraDatabase = undefined;
    });
  }
  return globalForDb.tesseraDatabase;
}

export async function getDb(): Promise<Database> {
  return (await getDatabase()).db;
}

/** Closes the app's database if it was opened; PGlite then releases its data folder. */
export async function closeDatabase(): Promise<void> {
  const opening = globalForDb.tesseraDatabase;
  globalForDb.tesseraDatabase = undefined;
  if (!opening) return;
  const handle = await opening.catch(() => undefined);
  await handle?.close();
}

/** Replaces the cached database; tests use it to run the app code against their own. */
export function setDatabaseForTests(handle: DatabaseHandle | undefined) {
  globalForDb.tesseraDatabase = handle ? Promise.resolve(handle) : undefined;
}
