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

/** Opens a database and applies the migrations in `drizzle/`. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.pgliteDataDir);
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
  const client = postgres(url, { max: 10, onnotice: () => {} });
  const db = drizzlePostgres({ client, schema });

  // Several app instances may start at once against one server; the advisory lock makes
  // them apply the migrations one after another instead of racing.
  const lockConnection = await client.reserve();
  try {
    await lockConnection`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await lockConnection`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    lockConnection.release();
  }
  log.info({ driver: "postgres" }, "database ready");
  return { db, driver: "postgres", close: () => client.end({ timeout: 5 }) };
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
      log.error({ err: error }, "opening the database failed");
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
