// The benchmark's PostgreSQL database: created fresh per run, seeded with rows the app reads,
// and watched through pg_stat_database and pg_stat_activity.

import { createHash, randomBytes } from "node:crypto";

import postgres from "postgres";

import { pidsNamed } from "./machine.mjs";

const quiet = { onnotice: () => {} };

/** Opens a connection to the server's `postgres` database, for statistics and admin statements. */
export function openAdmin(postgresUrl) {
  return postgres(`${postgresUrl}/postgres`, { max: 1, ...quiet });
}

/** Opens a connection to the benchmark database. */
export function openBenchDatabase(postgresUrl, database) {
  return postgres(`${postgresUrl}/${database}`, { max: 2, ...quiet });
}

/** Drops and creates the benchmark database. Only ever the one named by --database. */
export async function recreateDatabase(admin, database) {
  await admin.unsafe(`drop database if exists "${database}" with (force)`);
  await admin.unsafe(`create database "${database}"`);
}

export async function postgresVersion(admin) {
  const [row] = await admin`show server_version`;
  return row.server_version;
}

/** Returns committed plus rolled-back transactions of `database` as the statistics show them now. */
export async function readTransactionCount(admin, database) {
  const [row] = await admin`
    select (xact_commit + xact_rollback)::bigint as count
    from pg_stat_database where datname = ${database}`;
  return Number(row?.count ?? 0);
}

/**
 * Returns the pids of every PostgreSQL server process on this machine: the backends serving
 * the app and the background processes (WAL writer, checkpointer, autovacuum) whose work the
 * app's writes cause. Other databases' work counts too, which the harness's wait for a quiet
 * machine and its "other CPU" check are there to keep out.
 */
export function postgresServerPids() {
  return pidsNamed("postgres");
}

/**
 * Returns the hash the app stores for a session secret. It must match hashSessionSecret in
 * lib/auth/secret.ts; the harness proves that it does by refreshing a seeded session through
 * the app before it measures anything.
 */
export function hashSecret(secret) {
  return createHash("sha256").update(secret, "utf8").digest("base64url");
}

const generateSecret = () => randomBytes(32).toString("base64url");

const DEVICE = {
  user_agent:
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  browser: "Chrome",
  os: "Linux",
  device_type: "desktop",
  device_key: "chrome|linux|desktop",
  ip: "127.0.0.1",
  location: "Local network",
};

/**
 * Seeds one organization, `count + 1` member users and one active session each. Returns the
 * main session (used by the request modes) and the secrets of the others (rotated through
 * by the refresh suite). Users get no usable password: nobody can sign in as them.
 */
export async function seedSessions(sql, count) {
  const [organization] = await sql`
    insert into organizations (slug, name) values ('bench', 'Benchmark organization')
    returning id`;
  const users = await sql`
    insert into users (email, display_name, password_hash)
    select 'bench-user-' || g || '@example.test', 'Benchmark user ' || g, 'no-password'
    from generate_series(0, ${count}) as g
    returning id`;
  await sql`
    insert into memberships (user_id, organization_id, role)
    select id, ${organization.id}, 'member' from users`;

  const secrets = users.map(() => generateSecret());
  const rows = users.map((user, index) => ({
    ...DEVICE,
    secret_hash: hashSecret(secrets[index]),
    user_id: user.id,
    active_organization_id: organization.id,
    active_role: "member",
  }));
  const inserted = await sql`insert into sessions ${sql(rows)} returning id, user_id`;
  const [main] = inserted;
  return {
    main: {
      secret: secrets[0],
      sessionId: main.id,
      userId: main.user_id,
      organizationId: organization.id,
    },
    refreshSecrets: secrets.slice(1),
  };
}
