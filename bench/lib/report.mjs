// Turns benchmark results into tables: printed after a run, and written with every stored
// suite result into docs/benchmarks.md. Each suite's latest result is kept in
// bench/results/<suite>.json, so a run of one suite updates its section and keeps the others.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import * as prettier from "prettier";

import { fixed, thousands } from "./format.mjs";
import { SUITES } from "./options.mjs";
import { renderPopulation } from "./population-report.mjs";
import { readFloorMiss, readRefreshMiss, renderTargets } from "./targets.mjs";

/** Seconds between two refreshes of one session: a 60 s token refreshed 15 s before expiry. */
const REFRESH_INTERVAL_SECONDS = 45;

const REPRODUCE = "npm run build && npm run bench";

/** Formats the results of this run as Markdown tables for the terminal. */
export function formatTables(results) {
  return renderSections(suiteFilesOf(results)).join("\n\n");
}

/**
 * Stores each suite of this run in bench/results and rewrites docs/benchmarks.md, both
 * formatted with the project's Prettier settings so that `npm run format:check` passes.
 */
export async function writeReport(appDir, results) {
  const resultsDir = path.join(appDir, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const written = [];
  for (const [suite, file] of Object.entries(suiteFilesOf(results))) {
    const target = path.join(resultsDir, `${suite}.json`);
    writeFileSync(target, await formatted(target, JSON.stringify(file, null, 2)));
    written.push(path.relative(appDir, target));
  }

  const stored = {};
  for (const suite of SUITES) {
    const file = path.join(resultsDir, `${suite}.json`);
    if (existsSync(file)) stored[suite] = JSON.parse(readFileSync(file, "utf8"));
  }
  const report = path.join(appDir, "docs", "benchmarks.md");
  writeFileSync(report, await formatted(report, renderDocument(stored)));
  written.push(path.relative(appDir, report));
  return written;
}

async function formatted(file, text) {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

function suiteFilesOf(results) {
  const common = {
    startedAt: results.startedAt,
    machine: results.machine,
    options: results.options,
  };
  const files = {};
  if (results.middleware || results.noMiddleware || results.proxy) {
    files.http = {
      ...common,
      data: {
        middleware: results.middleware ?? [],
        noMiddleware: results.noMiddleware ?? [],
        proxy: results.proxy ?? [],
        edgeAlgorithms: results.edgeAlgorithms ?? null,
        notes: results.notes ?? [],
      },
    };
  }
  if (results.refresh) files.refresh = { ...common, data: results.refresh };
  if (results.latency) files.latency = { ...common, data: results.latency };
  if (results.population) files.population = { ...common, data: results.population };
  if (results.verify) files.verify = { ...common, data: results.verify };
  if (results.scale) files.scale = { ...common, data: results.scale };
  return files;
}

function renderDocument(stored) {
  const newest = Object.values(stored).sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  const lines = [
    "# Benchmarks",
    "",
    "What Tessera's design claims, measured: a session token verified without a database call",
    "against the same access check decided by reading the session from PostgreSQL or Redis on",
    "every request. Written by `bench/run.mjs`; do not edit by hand, run it again.",
    "",
    "**This machine is shared and noisy.** It has two cores, the load generator (autocannon)",
    "runs on the same two cores as the app server and PostgreSQL, and other work may run at the",
    "same time. Read the figures as ratios between modes of one run, not as capacity figures for",
    "any other machine. Each figure comes from one run of a few seconds. Separate runs of the",
    "same mode on this machine differed by up to about 15 % in requests per second and 250 µs",
    "of app CPU per request, so compare modes within one table, and treat smaller differences",
    "as noise.",
    "",
    "## Reproduce",
    "",
    "```sh",
    REPRODUCE,
    "npm run bench -- --suites=http --modes=stateless,db   # a subset",
    "npm run bench -- --quick                               # smoke run, writes nothing",
    "npm run bench -- --help                                # every option",
    "```",
    "",
    "The harness starts `next start` on 127.0.0.1 ports 3600 to 3603 with TESSERA_BENCH_ROUTES=1",
    "(the routes under `app/api/bench` and the page `/bench/[check]` answer 404 without it), drops and creates the PostgreSQL",
    "database `tessera_bench`, and writes Redis keys under `tessera-bench:`, which it deletes",
    "afterwards. It waits while a `next build`, CI or Playwright run is active.",
  ];
  lines.push("", ...renderTargets(stored));
  if (newest) lines.push("", ...renderMachine(newest, stored));
  lines.push("", ...renderSections(stored).flatMap((section) => [section, ""]));
  lines.push(...renderNotMeasured(stored), "", ...renderMethod());
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

function renderMachine(newest, stored) {
  const machine = newest.machine;
  return [
    "## Machine and versions",
    "",
    `- CPU: ${machine.cpuModel}, ${machine.cores} cores; memory ${machine.memoryGiB} GiB; ${machine.kernel}`,
    `- Node.js ${machine.node}, Next.js ${machine.next}, jose ${machine.jose}, postgres.js ${machine.postgresJs}, ` +
      `PostgreSQL ${machine.postgres}, autocannon ${machine.autocannon}`,
    `- App: commit ${machine.commit ?? "unknown"}`,
    `- Runs started: ${Object.entries(stored)
      .map(([suite, file]) => `${suite} ${file.startedAt.slice(0, 16).replace("T", " ")} UTC`)
      .join(", ")}`,
  ];
}

function renderSections(files) {
  const sections = [];
  if (files.http) sections.push(renderHttp(files.http));
  if (files.latency) sections.push(renderLatency(files.latency));
  if (files.refresh) sections.push(renderRefresh(files.refresh));
  if (files.population) sections.push(renderPopulation(files.population));
  if (files.verify) sections.push(renderVerify(files.verify, files.http?.data.edgeAlgorithms));
  if (files.scale) sections.push(renderScale(files.scale));
  return sections;
}

function renderHttp(file) {
  const { middleware, noMiddleware, notes } = file.data;
  const proxy = file.data.proxy ?? [];
  const { connections, durationSeconds, warmupSeconds } = file.options;
  const lines = [
    "## Requests: token check against session lookups",
    "",
    `autocannon, ${connections} connections, ${durationSeconds} s measured after ${warmupSeconds} s of warm-up per mode.`,
    "The route modes answer the same member access check with the same JSON body shape; the",
    "page modes render the same small page (`app/bench/[check]/page.tsx`) behind each check.",
  ];
  const section = (title, intro, rows) => {
    if (rows.length === 0) return;
    lines.push("", title, "", ...intro, "", ...modeTable(rows), "", ...ratios(rows));
  };
  section(
    "### Shipped build (with `middleware.ts`, Edge runtime)",
    [
      "Middleware verifies the token before every non-public path, so the lookup modes carry the",
      "token cookie too; its check is a cache hit there, as in the stateless mode.",
    ],
    middleware,
  );
  section(
    "### Build without `middleware.ts`",
    [
      "The handler's or page's own check only: the stateless modes verify the token once, the",
      "lookup modes send only the session cookie and never touch a token.",
    ],
    noMiddleware,
  );
  section(
    "### The same middleware as `proxy.ts` (Node.js runtime)",
    [
      "`scripts/build-variant.mjs` builds the app with middleware.ts renamed to proxy.ts and",
      "nothing else changed; Next.js 16 runs proxy.ts on the Node.js runtime.",
    ],
    proxy,
  );
  lines.push(...middlewareCost(middleware, noMiddleware, proxy));
  lines.push(...readFloorMiss(file));
  if (notes.length > 0) lines.push("", ...notes.map((note) => `- ${note}`));
  return lines.join("\n");
}

// The cost of running the middleware itself: the public floor with and without it.
function middlewareCost(middleware, noMiddleware, proxy) {
  const floorOf = (rows) => rows.find((row) => row.mode === "floor");
  const without = floorOf(noMiddleware);
  if (!without) return [];
  const lines = [];
  for (const [rows, name] of [
    [middleware, "`middleware.ts` (Edge runtime)"],
    [proxy, "`proxy.ts` (Node.js runtime)"],
  ]) {
    const floor = floorOf(rows);
    if (!floor) continue;
    lines.push(
      `- ${name}: the public floor costs ${fixed(floor.appCpuMicroseconds, 0)} µs of app CPU per request against ` +
        `${fixed(without.appCpuMicroseconds, 0)} µs without middleware, so running it (a pass-through on this path) ` +
        `costs about ${fixed(floor.appCpuMicroseconds - without.appCpuMicroseconds, 0)} µs per request; ` +
        `${fixed(floor.requestsPerSecond / without.requestsPerSecond, 2)}× the requests per second.`,
    );
  }
  return lines.length > 0 ? ["", "Middleware itself:", "", ...lines] : [];
}

function modeTable(rows) {
  const header = [
    "| mode | request | req/s | p50 ms | p99 ms | app CPU µs/req | PostgreSQL CPU µs/req | Redis CPU µs/req | statements per 1,000 req | load generator CPU | other CPU | failed |",
    "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
  ];
  return [
    ...header,
    ...rows.map(
      (row) =>
        `| ${row.mode} | ${row.label} | ${fixed(row.requestsPerSecond, 0)} | ${row.latencyP50Ms} | ${row.latencyP99Ms} | ` +
        `${fixed(row.appCpuMicroseconds, 0)} | ${fixed(row.postgresCpuMicroseconds, 0)} | ` +
        `${fixed(row.redisCpuMicroseconds, 0)} | ${fixed(row.statementsPer1000, 0)} | ` +
        `${fixed(row.loadGeneratorCpuShare * 100, 0)} % | ${fixed(row.otherCpuShare * 100, 0)} %${row.disturbed ? " (disturbed)" : ""} | ` +
        `${row.non2xx + row.errors} |`,
    ),
  ];
}

function ratios(rows) {
  const byMode = Object.fromEntries(rows.map((row) => [row.mode, row]));
  return [
    ...compareWithLookups(byMode, "stateless", "db", "redis", "floor"),
    ...compareWithLookups(byMode, "page-stateless", "page-db", "page-redis", "page-floor"),
  ];
}

// Flags a comparison that rests on a measurement other programs disturbed.
const disturbedMark = (...rows) =>
  rows.some((row) => row.disturbed) ? " (from a disturbed measurement: treat as noise)" : "";

const totalCpu = (row) =>
  (row.appCpuMicroseconds ?? 0) +
  (row.postgresCpuMicroseconds ?? 0) +
  (row.redisCpuMicroseconds ?? 0);

function compareWithLookups(byMode, statelessName, dbName, redisName, floorName) {
  const stateless = byMode[statelessName];
  if (!stateless) return [];
  const lines = [];
  for (const [name, store] of [
    [dbName, "PostgreSQL"],
    [redisName, "Redis"],
  ]) {
    const other = byMode[name];
    if (!other) continue;
    lines.push(
      `- ${statelessName} against ${name}: ${fixed(stateless.requestsPerSecond / other.requestsPerSecond, 2)}× the requests per second; ` +
        `${fixed(totalCpu(stateless), 0)} µs against ${fixed(totalCpu(other), 0)} µs of CPU per request ` +
        `(app plus ${store}), ${fixed(stateless.statementsPer1000, 0)} against ` +
        `${fixed(other.statementsPer1000, 0)} statements per 1,000 requests${disturbedMark(stateless, other)}.`,
    );
  }
  const floor = byMode[floorName];
  if (floor) {
    lines.push(
      `- ${statelessName} against ${floorName}: ${fixed(stateless.requestsPerSecond / floor.requestsPerSecond, 2)}× the requests per second; ` +
        `${fixed(stateless.appCpuMicroseconds, 0)} µs against ${fixed(floor.appCpuMicroseconds, 0)} µs of app CPU per request${disturbedMark(stateless, floor)}.`,
    );
  }
  return lines;
}

function renderLatency(file) {
  const { directRoundTripMs, proxiedRoundTripMs, modes } = file.data;
  const byMode = Object.fromEntries(modes.map((row) => [row.mode, row]));
  const lines = [
    "## With a database round trip of about 1 ms more",
    "",
    `The database behind \`bench/delay-proxy.mjs\`, which holds each reply for ${file.options.addedRoundTripMs} ms. ` +
      `Median \`select 1\` round trip: ${fixed(directRoundTripMs, 3)} ms direct, ${fixed(proxiedRoundTripMs, 3)} ms through the proxy. ` +
      "Shipped build, same modes as above.",
    "",
    ...modeTable(modes),
  ];
  if (byMode.stateless && byMode.db) {
    lines.push(
      "",
      `- stateless against db: ${fixed(byMode.stateless.requestsPerSecond / byMode.db.requestsPerSecond, 2)}× the requests per second, ` +
        `p50 ${byMode.stateless.latencyP50Ms} ms against ${byMode.db.latencyP50Ms} ms.`,
    );
  }
  return lines.join("\n");
}

function renderRefresh(file) {
  const row = file.data;
  const sessionsPerAppCore = row.appCpuMicroseconds
    ? (REFRESH_INTERVAL_SECONDS * 1e6) / row.appCpuMicroseconds
    : null;
  const sessionsPerDatabaseCore = row.postgresCpuMicroseconds
    ? (REFRESH_INTERVAL_SECONDS * 1e6) / row.postgresCpuMicroseconds
    : null;
  return [
    "## Refresh throughput",
    "",
    `POST /api/auth/refresh with \`{"activity": true}\`, each request with the next of ${file.options.refreshSessions} ` +
      "seeded sessions: one UPDATE ... RETURNING on the session row, then an ES256 signature.",
    "",
    ...modeTable([row]),
    "",
    `A signed-in tab refreshes every ${REFRESH_INTERVAL_SECONDS} s (60 s tokens, refreshed 15 s before expiry), so:`,
    "",
    `- this run's ${fixed(row.requestsPerSecond, 0)} refreshes/s keep about ${thousands(row.requestsPerSecond * REFRESH_INTERVAL_SECONDS)} ` +
      "sessions signed in, on two cores shared by the app, PostgreSQL and the load generator;",
    `- per core of app server CPU: about ${thousands(sessionsPerAppCore)} sessions (${REFRESH_INTERVAL_SECONDS} s ÷ ${fixed(row.appCpuMicroseconds, 0)} µs);`,
    `- per core of PostgreSQL CPU: about ${thousands(sessionsPerDatabaseCore)} sessions (${REFRESH_INTERVAL_SECONDS} s ÷ ${fixed(row.postgresCpuMicroseconds, 0)} µs).`,
    "",
    "These are estimates from CPU time per refresh; they leave out page loads and everything else",
    "the same sessions do, and assume every session keeps a visible tab open.",
    ...readRefreshMiss(row),
  ].join("\n");
}

function renderVerify(file, edge) {
  const { timings, tokenLengths, webCrypto, secondsPerCase } = file.data;
  const lines = [
    "## Token verification cost",
    "",
    `\`node bench/verify.mjs\`: one call at a time for ${secondsPerCase} s per case, no server. CPU is the whole`,
    "process's, so Web Crypto work on libuv's thread pool counts; wall time above CPU time means",
    "the process waited for a core.",
    "",
    "| operation | wall µs | CPU µs | per CPU second |",
    "|---|--:|--:|--:|",
    ...timings.map(
      (timing) =>
        `| ${timing.name} | ${fixed(timing.wallMicroseconds, 1)} | ${fixed(timing.cpuMicroseconds, 1)} | ${thousands(1e6 / timing.cpuMicroseconds)} |`,
    ),
    "",
    `Token length with Tessera's claims and an organization: ${Object.entries(tokenLengths)
      .map(([algorithm, length]) => `${algorithm} ${length}`)
      .join(", ")} characters.`,
    "",
    `Web Crypto of Node.js ${webCrypto.node} (what jose uses): ${["ES256", "EdDSA", "RS256"]
      .map((name) => `${name} ${webCrypto[name] === true ? "works" : webCrypto[name]}`)
      .join(", ")}.`,
  ];
  if (edge?.checks) {
    lines.push(
      "",
      `In the Edge runtime of \`next start\` (route \`/api/bench/edge-algorithms\`, ${edge.verifications} verifications each): ` +
        edge.checks
          .map((check) =>
            check.supported
              ? `${check.algorithm} works, ${check.verifyMicroseconds} µs wall per jwtVerify`
              : `${check.algorithm} fails (${check.error})`,
          )
          .join("; ") +
        ".",
    );
  }
  return lines.join("\n");
}

function renderScale(file) {
  const { users, sessions, activeSessions, seedSeconds, queries, indexes } = file.data;
  const lines = [
    "## The session table at scale",
    "",
    `\`bench/seed-scale.mjs\` seeded ${thousands(users)} users and ${thousands(sessions)} session rows ` +
      `(${thousands(activeSessions)} active) in ${fixed(seedSeconds, 0)} s. Each statement ran with random parameters ` +
      "over one connection, one at a time; the SQL has the shape the app's Drizzle code sends.",
    "",
    "| statement | runs | p50 ms | p99 ms | plan |",
    "|---|--:|--:|--:|---|",
    ...queries.map(
      (query) =>
        `| ${query.name} | ${query.runs} | ${fixed(query.p50Ms, 3)} | ${fixed(query.p99Ms, 3)} | ${query.plan} |`,
    ),
    "",
    "The plan column summarizes EXPLAIN ANALYZE of one run of the statement; for the role",
    "change, of its UPDATE of the sessions. Indexes on the two tables:",
    "",
    ...indexes.map((index) => `- \`${index}\``),
  ];
  if (queries.some((query) => query.plan.includes("Seq Scan on organizations"))) {
    lines.push(
      "",
      "The refresh reads the organization's stricter limits with a subquery per limit. With only",
      "100 organizations seeded, the planner scans that table instead of using its primary key.",
    );
  }
  return lines.join("\n");
}

function renderNotMeasured(stored) {
  const lines = ["## Not measured", ""];
  for (const suite of SUITES) {
    if (!stored[suite])
      lines.push(
        `- The ${suite} suite has no stored result (\`npm run bench -- --suites=${suite}\`).`,
      );
  }
  lines.push(
    "- A peer library's session check (for example better-auth) in the same app.",
    "- A Redis session store that also extends an idle timeout: the redis mode only reads, with no",
    "  write per request to move the entry's expiry.",
    "- Redis on another machine: the redis mode reads the local Redis over loopback. Across a",
    "  network each lookup adds a round trip, as the latency suite shows for PostgreSQL.",
    "- More than one app instance, connection pools other than the default 10, TLS to the database.",
    "- A middleware that is a pure pass-through on a protected path: the floor modes use a public",
    "  path (`/.well-known/jwks.json`) or a page without a check, which the shipped middleware",
    "  passes after reading the path (and, for the page, verifying the token from its cache).",
  );
  return lines;
}

function renderMethod() {
  return [
    "## How the figures are taken",
    "",
    "- req/s: completed requests over the measured seconds; p50 and p99 from autocannon's latency",
    "  histogram (whole milliseconds, 2xx responses only). `failed` counts non-2xx answers and errors.",
    "- app CPU: user plus system time of the `next start` process and its children, from",
    "  /proc/PID/stat before and after the measured seconds, divided by the completed requests.",
    "- load generator CPU: autocannon's share of one core over the measured seconds; it runs in",
    "  the harness's process, on the same two cores as everything it measures.",
    "- other CPU: busy time of the whole machine (/proc/stat) that none of the measured processes",
    "  used, as a share of one core. A mode above 20 % of a core, or measured while a build, CI",
    '  or Playwright run was active, is measured again, up to three times; "(disturbed)" marks',
    "  one that stayed so, and a comparison that rests on it says so.",
    "- PostgreSQL CPU: the same for every PostgreSQL server process on the machine: the backends",
    "  serving the app and the WAL writer, checkpointer and autovacuum that its writes keep busy.",
    "  Redis CPU: the `redis-server` process. Other programs using either would count too.",
    "- statements per 1,000 requests: committed plus rolled-back transactions of `tessera_bench` in",
    "  pg_stat_database over warm-up and measurement, read after waiting for PostgreSQL to publish",
    "  its counters. Every statement of these modes runs alone in its own transaction, so",
    "  transactions are statements here. pg_stat_statements is not loaded on this server.",
    "- In the http and latency suites the token lives 3600 s (the maximum TOKEN_TTL_SECONDS) so one",
    "  token lasts the run, and their statement counts leave out refreshes. Tessera's verifier",
    "  caches a verified token until it expires, so the stateless modes measure cache hits; the first",
    "  verification of each token costs what the verification table shows. The population suite",
    "  uses 60 s tokens with refreshes, so its counts include them.",
    "- p50 and p99 are measured with 16 connections that each send the next request as soon as the",
    "  last one is answered, so at saturation p50 is close to 16 ÷ req/s: latency differences in",
    "  these tables follow throughput rather than show one request's own wait.",
  ];
}
