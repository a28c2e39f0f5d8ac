// The session table at production size. Seeds 1,000,000 session rows over 100,000 users in
// the benchmark database with generate_series. Then times the statements that use the table
// most (the devices page, the refresh, a role change fanning out to 50 sessions) and
// summarizes their plans.
//
// Usage: npm run bench -- --suites=scale [--scale-users=N]
//        node bench/seed-scale.mjs [USERS]          (drops and creates tessera_bench)
//
// The statements are written here in the shape the app's Drizzle code produces
// (lib/auth/devices.ts listDevices, lib/auth/sessions.ts refreshSession with
// lib/auth/session-limits-sql.ts, lib/orgs/membership-changes.ts changeMemberRole), with the
// default limits of 7 days and 30 minutes.

import path from "node:path";
import { pathToFileURL } from "node:url";

import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

import { hashSecret, openAdmin, recreateDatabase } from "./lib/database.mjs";

const SESSIONS_PER_USER = 10;
const ACTIVE_PER_USER = 3;
const ORGANIZATIONS = 100;
const FAN_OUT_SESSIONS = 50;
const ABSOLUTE_SECONDS = 7 * 24 * 60 * 60;
const IDLE_SECONDS = 30 * 60;
const RUNS = { devices: 1000, refresh: 1000, roleChange: 200 };

// The app stores the base64url SHA-256 of the cookie secret. This computes the same in SQL,
// so the harness can hash any seeded secret ("scale-secret-N") in JavaScript to find its row.
const SECRET_HASH_SQL = `translate(rtrim(encode(sha256(convert_to('scale-secret-' || k, 'UTF8')), 'base64'), '='), '+/', '-_')`;
const userId = (number) => `md5('scale-user-' || ${number})::uuid`;
const organizationId = (number) => `md5('scale-org-' || ${number})::uuid`;

/** Seeds the database, times the statements and returns the figures for the report. */
export async function runScaleBenchmark({ postgresUrl, database, scaleUsers, admin, log }) {
  await recreateDatabase(admin, database);
  const sql = postgres(`${postgresUrl}/${database}`, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle({ client: sql }), {
      migrationsFolder: path.join(process.cwd(), "drizzle"),
    });
    log(`Seeding ${scaleUsers} users with ${SESSIONS_PER_USER} sessions each`);
    const seedStarted = performance.now();
    await seed(sql, scaleUsers);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const [{ sessions, active }] = await sql`
      select count(*)::int as sessions, count(*) filter (where status = 'active')::int as active
      from sessions`;
    log(`Seeded ${sessions} sessions in ${seedSeconds.toFixed(0)} s`);

    const queries = [
      await timeDevicesPage(sql, scaleUsers),
      await timeRefresh(sql, scaleUsers),
      await timeRoleChange(sql),
    ];
    for (const query of queries) {
      log(
        `  ${query.name}: p50 ${query.p50Ms.toFixed(3)} ms, p99 ${query.p99Ms.toFixed(3)} ms; ${query.plan}`,
      );
    }
    const indexes = await sql`
      select indexdef from pg_indexes
      where tablename in ('sessions', 'memberships') order by tablename, indexname`;
    return {
      users: scaleUsers,
      sessions,
      activeSessions: active,
      seedSeconds,
      queries,
      indexes: indexes.map((row) => row.indexdef.replace(/ USING btree/, "")),
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function seed(sql, users) {
  await sql.unsafe(`
    insert into organizations (id, slug, name)
    select ${organizationId("g")}, 'scale-' || g, 'Scale organization ' || g
    from generate_series(0, ${ORGANIZATIONS - 1}) as g`);
  await sql.unsafe(`
    insert into users (id, email, display_name, password_hash)
    select ${userId("g")}, 'scale-' || g || '@example.test', 'Scale user ' || g, 'no-password'
    from generate_series(0, ${users - 1}) as g`);
  // User g is a member of organization g % 100; user 0 is its admin.
  await sql.unsafe(`
    insert into memberships (user_id, organization_id, role)
    select ${userId("g")}, ${organizationId(`g % ${ORGANIZATIONS}`)},
           case when g < ${ORGANIZATIONS} then 'admin' else 'member' end
    from generate_series(0, ${users - 1}) as g`);
  // Session k belongs to user k / 10. The first three of each user are active and were used
  // in the last ten minutes. The rest ended up to 90 days ago, as the history keeps them.
  await sql.unsafe(`
    insert into sessions (
      secret_hash, user_id, status, end_reason, created_at, last_active_at, ended_at,
      last_verified_at, user_agent, browser, os, device_type, device_key, ip, location,
      active_organization_id, active_role)
    select ${SECRET_HASH_SQL}, ${userId(`k / ${SESSIONS_PER_USER}`)},
      case when active then 'active' else 'ended' end,
      case when active then null else 'signed_out' end,
      created, last_active, case when active then null else last_active end, created,
      'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0', 'Chrome', 'Linux', 'desktop',
      'chrome|linux|desktop', ('10.' || (k % 250) || '.' || (k / 250 % 250) || '.1')::inet,
      'Local network', ${organizationId(`(k / ${SESSIONS_PER_USER}) % ${ORGANIZATIONS}`)},
      case when k / ${SESSIONS_PER_USER} < ${ORGANIZATIONS} then 'admin' else 'member' end
    from (
      select k, k % ${SESSIONS_PER_USER} < ${ACTIVE_PER_USER} as active,
        now() - make_interval(secs => case when k % ${SESSIONS_PER_USER} < ${ACTIVE_PER_USER}
          then 3600 + random() * 86400 * 5 else 86400 + random() * 86400 * 89 end) as created,
        now() - make_interval(secs => random() * 600) as last_active
      from generate_series(0, ${users * SESSIONS_PER_USER - 1}) as k
    ) as seeded`);
  // The fan-out target: user 100 (a member of organization 0) gets 50 more active sessions.
  const firstExtra = users * SESSIONS_PER_USER;
  await sql.unsafe(`
    insert into sessions (secret_hash, user_id, active_organization_id, active_role, ip)
    select ${SECRET_HASH_SQL}, ${userId(ORGANIZATIONS)}, ${organizationId(0)}, 'member', '10.0.0.1'
    from generate_series(${firstExtra}, ${firstExtra + FAN_OUT_SESSIONS - 1}) as k`);
  await sql`analyze`;
}

/** A random active session number: the first three of each user's ten. */
const randomActiveSession = (users) =>
  Math.floor(Math.random() * users) * SESSIONS_PER_USER +
  Math.floor(Math.random() * ACTIVE_PER_USER);

async function timeDevicesPage(sql, users) {
  const statement = `
    select id, name, created_at, last_active_at, new_device, new_country, location, ip, browser,
      os, device_type, device_key, user_agent
    from sessions
    where user_id = $1 and status = 'active'
    order by last_active_at desc, created_at desc, id asc`;
  const parameters = async () => {
    const [row] = await sql.unsafe(`select ${userId("$1::int")} as id`, [
      Math.floor(Math.random() * users),
    ]);
    return [row.id];
  };
  return timeStatement(
    sql,
    "devices page (listDevices)",
    RUNS.devices,
    parameters,
    (values) => sql.unsafe(statement, values),
    statement,
  );
}

// The refresh of lib/auth/sessions.ts: validates limits and moves last-active in one UPDATE.
const LIMIT = (column, appSeconds) =>
  `least(${appSeconds}::bigint, coalesce((select ${column} from organizations where organizations.id = sessions.active_organization_id), ${appSeconds}::bigint))`;
const ABSOLUTE_DEADLINE = `(sessions.created_at + make_interval(secs => ${LIMIT("session_absolute_timeout_seconds", ABSOLUTE_SECONDS)}))`;
const IDLE_DEADLINE = `(sessions.last_active_at + make_interval(secs => ${LIMIT("session_idle_timeout_seconds", IDLE_SECONDS)}))`;
const EXPIRY_REASON = `(case when least(${ABSOLUTE_DEADLINE}, ${IDLE_DEADLINE}) > now() then null when ${ABSOLUTE_DEADLINE} <= ${IDLE_DEADLINE} then 'absolute_timeout' else 'idle_timeout' end)`;
const REFRESH_STATEMENT = `
  update sessions set
    status = case when ${EXPIRY_REASON} is not null then 'expired' else sessions.status end,
    end_reason = ${EXPIRY_REASON},
    ended_at = case when ${EXPIRY_REASON} is not null then least(${ABSOLUTE_DEADLINE}, ${IDLE_DEADLINE}) else null end,
    last_active_at = case when ${EXPIRY_REASON} is not null then sessions.last_active_at else now() end
  where sessions.secret_hash = $1 and sessions.status = 'active'
  returning user_id, id, last_verified_at, active_organization_id, active_role, status, end_reason,
    greatest(0, floor(extract(epoch from (${ABSOLUTE_DEADLINE} - now()))))::bigint,
    greatest(0, ceil(extract(epoch from (${IDLE_DEADLINE} - now()))))::bigint`;

async function timeRefresh(sql, users) {
  const parameters = async () => [hashSecret(`scale-secret-${randomActiveSession(users)}`)];
  return timeStatement(
    sql,
    "refresh (one UPDATE ... RETURNING)",
    RUNS.refresh,
    parameters,
    async (values) => {
      const rows = await sql.unsafe(REFRESH_STATEMENT, values);
      if (rows.length !== 1 || rows[0].status !== "active") {
        throw new Error("The refresh statement did not find a live seeded session.");
      }
    },
    REFRESH_STATEMENT,
  );
}

/**
 * Times the transaction of changeMemberRole: lock the organization's memberships, change one, copy
 * the role to the member's active sessions in it (50 here), record a security event.
 */
async function timeRoleChange(sql) {
  const [{ organization, member }] = await sql.unsafe(
    `select ${organizationId(0)} as organization, ${userId(ORGANIZATIONS)} as member`,
  );
  let role = "admin";
  const change = async () => {
    role = role === "admin" ? "member" : "admin";
    const updated = await sql.begin(async (tx) => {
      await tx`select user_id, role from memberships where organization_id = ${organization} for update`;
      await tx`update memberships set role = ${role} where user_id = ${member} and organization_id = ${organization}`;
      const rows = await tx`
        update sessions set active_role = ${role}
        where user_id = ${member} and active_organization_id = ${organization} and status = 'active'
        returning id`;
      await tx`
        insert into security_events (type, user_id, ip, user_agent, detail)
        values ('role_changed', ${member}, '127.0.0.1', 'bench', ${JSON.stringify({ to: role })}::jsonb)`;
      return rows.length;
    });
    if (updated !== FAN_OUT_SESSIONS + ACTIVE_PER_USER) {
      throw new Error(
        `The role change updated ${updated} sessions, expected ${FAN_OUT_SESSIONS + ACTIVE_PER_USER}.`,
      );
    }
  };
  const timing = await timeStatement(
    sql,
    `role change fanning out to ${FAN_OUT_SESSIONS + ACTIVE_PER_USER} sessions (one transaction, 4 statements)`,
    RUNS.roleChange,
    async () => [],
    change,
    `update sessions set active_role = 'admin'
     where user_id = '${member}' and active_organization_id = '${organization}' and status = 'active'`,
  );
  return timing;
}

/**
 * Runs `execute` `runs` times after 20 unmeasured runs and returns p50 and p99 in
 * milliseconds, with a one-line summary of the plan of `explained` (run in a rolled-back
 * transaction, so an UPDATE leaves nothing behind).
 */
async function timeStatement(sql, name, runs, parameters, execute, explained) {
  const timings = [];
  for (let index = 0; index < runs + 20; index += 1) {
    const values = await parameters();
    const started = performance.now();
    await execute(values);
    if (index >= 20) timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  const percentile = (share) =>
    timings[Math.min(timings.length - 1, Math.floor(timings.length * share))];

  const values = await parameters();
  const usesParameter = explained.includes("$1");
  let plan = "";
  await sql
    .begin(async (tx) => {
      const rows = await tx.unsafe(
        `explain (analyze, buffers) ${explained}`,
        usesParameter ? values : [],
      );
      plan = summarizePlan(rows.map((row) => row["QUERY PLAN"]));
      throw new RollBack();
    })
    .catch((error) => {
      if (!(error instanceof RollBack)) throw error;
    });
  return { name, runs, p50Ms: percentile(0.5), p99Ms: percentile(0.99), plan };
}

class RollBack extends Error {}

/** Summarizes EXPLAIN ANALYZE output: the scans and indexes used and the execution time. */
function summarizePlan(lines) {
  const scans = new Set();
  for (const line of lines) {
    const scan =
      /(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)(?: Backward)?(?: using (\S+))? on (\S+)/.exec(
        line,
      );
    if (scan) scans.add(scan[2] ? `${scan[1]} using ${scan[2]}` : `${scan[1]} on ${scan[3]}`);
    const bitmap = /Bitmap Index Scan on (\S+)/.exec(line);
    if (bitmap) scans.add(`Bitmap Index Scan on ${bitmap[1]}`);
  }
  const execution = lines.map((line) => /Execution Time: ([\d.]+) ms/.exec(line)).find(Boolean);
  return `${[...scans].join(", ") || "no scan"}${execution ? `; EXPLAIN ANALYZE ${execution[1]} ms` : ""}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const users = Number(process.argv[2] ?? 100_000);
  if (!Number.isSafeInteger(users) || users < ORGANIZATIONS + 1) {
    console.error(`Usage: node bench/seed-scale.mjs [USERS]   (at least ${ORGANIZATIONS + 1})`);
    process.exit(2);
  }
  const postgresUrl = "postgres://postgres@127.0.0.1:5432";
  const admin = openAdmin(postgresUrl);
  try {
    const result = await runScaleBenchmark({
      postgresUrl,
      database: "tessera_bench",
      scaleUsers: users,
      admin,
      log: console.log,
    });
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await admin.end({ timeout: 5 });
  }
}
