// The population suite: many signed-in users, each sending a request to a protected route
// every few seconds, and the PostgreSQL statements they cause. With Tessera's design a user
// costs one refresh per token lifetime, whatever it requests in between. With a session
// lookup on every request, every request costs one statement.

import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { cookieHeader, SAME_ORIGIN_HEADERS, SESSION_COOKIE, TOKEN_COOKIE } from "./app-session.mjs";
import {
  postgresServerPids,
  openBenchDatabase,
  readTransactionCount,
  recreateDatabase,
  seedSessions,
} from "./database.mjs";
import { cpuSecondsBetween, processTree, readCpuSeconds } from "./machine.mjs";
import { ensureBuild, serverEnvironment, startServer } from "./server.mjs";

/** The app's default token lifetime, which the stateless design runs with. */
export const POPULATION_TOKEN_TTL_SECONDS = 60;
// The lookup design never needs a new token, so middleware's own check adds no statements.
const LOOKUP_TOKEN_TTL_SECONDS = 3600;

// Sockets the simulated users share, as browsers share a load balancer's connections. A user
// whose request finds every socket busy waits in the agent's queue.
const MAX_SOCKETS = 32;
// Each gap between two requests of a user is the interval times a random factor in 1 ± JITTER.
const JITTER = 0.2;
const REQUEST_TIMEOUT_MS = 30_000;
const RETRY_AFTER_FAILED_REFRESH_MS = 1_000;
// A request is not sent with a token this close to its expiry: the user refreshes first.
const EXPIRY_MARGIN_MS = 1_000;

export const POPULATION_DESIGNS = {
  stateless: {
    label: "Tessera: token verified, refreshed 15 s before it expires",
    path: "/api/access/member",
    tokenTtlSeconds: POPULATION_TOKEN_TTL_SECONDS,
    refreshes: true,
  },
  db: {
    label: "session row read from PostgreSQL per request",
    path: "/api/bench/session-db",
    tokenTtlSeconds: LOOKUP_TOKEN_TTL_SECONDS,
    refreshes: false,
  },
};

/**
 * Returns how long before expiry a token is refreshed, in milliseconds. The same rule as the
 * client loop in lib/client/token-refresh.ts: a quarter of the lifetime, between 1 s and 15 s.
 */
export function refreshLeadMs(lifetimeMs) {
  return Math.min(15_000, Math.max(1_000, lifetimeMs / 4));
}

/** Returns the seconds between two refreshes of one session with tokens of `ttlSeconds`. */
export function refreshIntervalSeconds(ttlSeconds) {
  return ttlSeconds - refreshLeadMs(ttlSeconds * 1000) / 1000;
}

/**
 * Runs the population suite: for each design its own server and, for each request interval
 * in `options.populationIntervalsSeconds`, one measured window. Recreates the database named
 * by `options.database`.
 */
export async function runPopulationBenchmark({ options, admin, log }) {
  ensureBuild(options.appDir, log);
  await recreateDatabase(admin, options.database);
  const { generateSigningKeyEnv } = await import(
    pathToFileURL(path.join(options.appDir, "scripts", "signing-key.mjs")).href
  );
  const keys = generateSigningKeyEnv();
  const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  const runs = [];
  let secrets = null;
  try {
    for (const [name, design] of Object.entries(POPULATION_DESIGNS)) {
      const env = serverEnvironment({
        ...keys,
        SECURE_COOKIES: "true",
        TOKEN_TTL_SECONDS: String(design.tokenTtlSeconds),
        DATABASE_URL: `${options.postgresUrl}/${options.database}`,
      });
      const server = await startServer({ dir: options.appDir, port: options.basePort, env, log });
      try {
        // The first server has applied the migrations; later ones reuse the same rows.
        secrets ??= await seedUsers(options);
        const context = { server, admin, options, agent, log };
        runs.push(...(await runDesign(context, { name, ...design }, secrets)));
      } finally {
        await server.stop();
      }
    }
  } finally {
    agent.destroy();
  }
  return {
    users: options.populationUsers,
    windowSeconds: options.populationDurationSeconds,
    intervalsSeconds: options.populationIntervalsSeconds,
    tokenTtlSeconds: POPULATION_TOKEN_TTL_SECONDS,
    refreshIntervalSeconds: refreshIntervalSeconds(POPULATION_TOKEN_TTL_SECONDS),
    statelessWarmupSeconds: populationWarmupSeconds(options, POPULATION_DESIGNS.stateless),
    maxSockets: MAX_SOCKETS,
    jitter: JITTER,
    runs,
  };
}

async function seedUsers(options) {
  const sql = openBenchDatabase(options.postgresUrl, options.database);
  try {
    // seedSessions adds one user more than it is asked for: the main session.
    const seeded = await seedSessions(sql, options.populationUsers - 1);
    return [seeded.main.secret, ...seeded.refreshSecrets];
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Signs every user in, then measures one window per request interval on one server. */
async function runDesign(context, design, secrets) {
  const { server, admin, options, agent, log } = context;
  const send = createSender(server.baseUrl, agent);
  const users = secrets.map((secret) => ({
    secret,
    token: null,
    lifetimeMs: 0,
    expiresAt: 0,
    refreshAt: Infinity,
    refreshRemainingMs: null,
    refreshing: null,
  }));

  // One refresh per user stands for its sign-in, and the warm-up runs the users through one
  // refresh interval, so that every token in the measured windows comes from a refresh at its
  // spread-out time. Both happen before the counters settle, so none of their statements is
  // counted.
  log(`Population ${design.name}: signing in ${users.length} users`);
  await forEachLimited(users, MAX_SOCKETS, (user) => refreshOrThrow(send, user));
  spreadFirstRefreshes(users);
  const [firstInterval] = options.populationIntervalsSeconds;
  const warmupSeconds = populationWarmupSeconds(options, design);
  if (warmupSeconds > 0) {
    log(`Population ${design.name}: warming up for ${warmupSeconds} s`);
    const warmup = { intervalSeconds: firstInterval, durationSeconds: warmupSeconds };
    await runWindow({ send, users, design, ...warmup, context });
  }

  let settled = await settledTransactionCount(admin, options);
  const rows = [];
  for (const intervalSeconds of options.populationIntervalsSeconds) {
    const durationSeconds = options.populationDurationSeconds;
    log(
      `Population ${design.name}: ${users.length} users, a request every ${intervalSeconds} s each, ` +
        `for ${durationSeconds} s`,
    );
    const window = await runWindow({
      send,
      users,
      design,
      intervalSeconds,
      durationSeconds,
      context,
    });
    const count = await settledTransactionCount(admin, options);
    const row = summarize({
      design,
      users: users.length,
      intervalSeconds,
      window,
      // Without the wait for the counters, late statements would land in the next window.
      statements: options.statsWaitSeconds > 0 ? count - settled : null,
    });
    settled = count;
    log(formatPopulationLine(row));
    rows.push(row);
  }
  return rows;
}

/**
 * Returns the seconds users run before the first measured window. A design with refreshes
 * runs one refresh interval, because a window that starts with sign-in tokens gets refreshes
 * out of turn: the settling pause ages those tokens until some must be refreshed early. A
 * --quick run has no time for that and no pause that ages them (its stats wait is 0 s).
 */
function populationWarmupSeconds(options, design) {
  if (!design.refreshes || options.quick) return options.warmupSeconds;
  return Math.max(options.warmupSeconds, refreshIntervalSeconds(design.tokenTtlSeconds));
}

/**
 * Spreads the first refresh of the users evenly over one refresh interval from the start of
 * the next window, as users who signed in at different times would refresh. Tokens minted
 * together would otherwise all be refreshed at once. runWindow moves a refresh that would
 * come later than EXPIRY_MARGIN_MS before its token's expiry forward to that time.
 */
function spreadFirstRefreshes(users) {
  users.forEach((user, index) => {
    const intervalMs = user.lifetimeMs - refreshLeadMs(user.lifetimeMs);
    user.refreshRemainingMs = ((index + 0.5) / users.length) * intervalMs;
  });
}

/**
 * Runs every user for `durationSeconds`, then waits for the requests still under way.
 * Refreshes continue where the previous window left them. Each refresh is due the same time
 * after the start of this window as it was after the end of the last one, so the settling
 * pause between two windows moves no refresh into or out of a window.
 */
async function runWindow({ send, users, design, intervalSeconds, durationSeconds, context }) {
  const { server } = context;
  const window = createWindow();
  const stats = {
    requests: 0,
    non2xx: 0,
    errors: 0,
    statusCodes: {},
    errorMessages: {},
    latenciesMs: [],
    refreshes: 0,
    failedRefreshes: 0,
  };

  const appBefore = readCpuSeconds(processTree(server.pid));
  const backendsBefore = readCpuSeconds(postgresServerPids());
  const harnessBefore = process.cpuUsage();
  const started = performance.now();
  for (const user of users) {
    user.refreshAt = Math.min(started + user.refreshRemainingMs, user.expiresAt - EXPIRY_MARGIN_MS);
  }

  const loops = users.map((user) =>
    Promise.all([
      requestLoop({ send, user, design, intervalSeconds, window, stats }),
      design.refreshes ? refreshLoop({ send, user, window, stats }) : null,
    ]),
  );
  await new Promise((resolve) => setTimeout(resolve, durationSeconds * 1000));
  const closed = performance.now();
  window.close();
  await Promise.all(loops);

  const measuredSeconds = (closed - started) / 1000;
  const harness = process.cpuUsage(harnessBefore);
  const appCpu = cpuSecondsBetween(appBefore, readCpuSeconds(processTree(server.pid)));
  const postgresCpu = cpuSecondsBetween(backendsBefore, readCpuSeconds(postgresServerPids()));
  for (const user of users) user.refreshRemainingMs = Math.max(0, user.refreshAt - closed);
  return {
    ...stats,
    durationSeconds: measuredSeconds,
    appCpuShare: appCpu / measuredSeconds,
    postgresCpuShare: postgresCpu / measuredSeconds,
    harnessCpuShare: (harness.user + harness.system) / 1e6 / measuredSeconds,
  };
}

/** Sends the user's requests until the window closes, one at a time, first at a random offset. */
async function requestLoop({ send, user, design, intervalSeconds, window, stats }) {
  const intervalMs = intervalSeconds * 1000;
  await window.wait(Math.random() * intervalMs);
  while (window.open) {
    const sentAt = performance.now();
    // A tab woken after its token ran out refreshes before it requests anything.
    if (sentAt >= user.expiresAt - EXPIRY_MARGIN_MS) await refreshCounted(send, user, stats);
    const cookie = cookieHeader({ [SESSION_COOKIE]: user.secret, [TOKEN_COOKIE]: user.token });
    try {
      const response = await send({ method: "GET", path: design.path, headers: { cookie } });
      stats.requests += 1;
      stats.statusCodes[response.status] = (stats.statusCodes[response.status] ?? 0) + 1;
      if (response.status >= 200 && response.status <= 299) {
        stats.latenciesMs.push(performance.now() - sentAt);
      } else {
        stats.non2xx += 1;
      }
    } catch (error) {
      stats.requests += 1;
      stats.errors += 1;
      countMessage(stats, `${design.path}: ${error.message}`);
    }
    const gapMs = intervalMs * (1 + JITTER * (2 * Math.random() - 1));
    await window.wait(sentAt + gapMs - performance.now());
  }
}

// Keeps the first few distinct error messages of a window, with how often each came.
function countMessage(stats, message) {
  const known = stats.errorMessages[message] !== undefined;
  if (!known && Object.keys(stats.errorMessages).length >= 5) return;
  stats.errorMessages[message] = (stats.errorMessages[message] ?? 0) + 1;
}

/** Refreshes the user's token when it is due, as the client loop of a visible tab does. */
async function refreshLoop({ send, user, window, stats }) {
  while (window.open) {
    await window.wait(user.refreshAt - performance.now());
    if (!window.open) return;
    if (performance.now() >= user.refreshAt) await refreshCounted(send, user, stats);
  }
}

/**
 * Refreshes the user's token and counts the refresh. A refresh already under way for the user
 * is awaited instead, as the client loop sends one refresh at a time across all tabs.
 */
async function refreshCounted(send, user, stats) {
  if (user.refreshing) return user.refreshing;
  user.refreshing = refreshOrThrow(send, user)
    .then(() => {
      stats.refreshes += 1;
    })
    .catch((error) => {
      stats.failedRefreshes += 1;
      countMessage(stats, error.message);
      user.refreshAt = performance.now() + RETRY_AFTER_FAILED_REFRESH_MS;
    })
    .finally(() => {
      user.refreshing = null;
    });
  return user.refreshing;
}

/**
 * Refreshes the user's token through POST /api/auth/refresh with the headers and body of the
 * client loop, and schedules the next refresh from the `expiresIn` the server returned.
 */
async function refreshOrThrow(send, user) {
  const cookies = { [SESSION_COOKIE]: user.secret };
  if (user.token) cookies[TOKEN_COOKIE] = user.token;
  const response = await send({
    method: "POST",
    path: "/api/auth/refresh",
    headers: { ...SAME_ORIGIN_HEADERS, cookie: cookieHeader(cookies) },
    body: JSON.stringify({ activity: true }),
  });
  const receivedAt = performance.now();
  if (response.status !== 200) {
    throw new Error(
      `POST /api/auth/refresh returned ${response.status}: ${response.body.slice(0, 300)}`,
    );
  }
  const token = readSetCookie(response.headers["set-cookie"], TOKEN_COOKIE);
  const { expiresIn } = JSON.parse(response.body);
  if (!token || typeof expiresIn !== "number") {
    throw new Error("The refresh response has no token cookie or no expiresIn.");
  }
  const lifetimeMs = expiresIn * 1000;
  user.token = token;
  user.lifetimeMs = lifetimeMs;
  user.expiresAt = receivedAt + lifetimeMs;
  user.refreshAt = user.expiresAt - refreshLeadMs(lifetimeMs);
}

function readSetCookie(headers = [], name) {
  for (const header of headers) {
    const [pair] = header.split(";");
    const separator = pair.indexOf("=");
    if (pair.slice(0, separator) === name) return pair.slice(separator + 1);
  }
  return null;
}

/**
 * Returns the state of one measured window: `wait(ms)` resolves after `ms`, or at once when
 * the window closes, so that no user starts anything after the end.
 */
function createWindow() {
  const waiting = new Map();
  let open = true;
  return {
    get open() {
      return open;
    },
    wait(ms) {
      if (!open) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(
          () => {
            waiting.delete(timer);
            resolve();
          },
          Math.max(0, ms),
        );
        waiting.set(timer, resolve);
      });
    },
    close() {
      open = false;
      for (const [timer, resolve] of waiting) {
        clearTimeout(timer);
        resolve();
      }
      waiting.clear();
    },
  };
}

/** Returns a function that sends one request over `agent` and resolves with its whole response. */
function createSender(baseUrl, agent) {
  const { hostname, port } = new URL(baseUrl);
  return ({ method, path: requestPath, headers, body }) =>
    new Promise((resolve, reject) => {
      const allHeaders = body ? { ...headers, "content-length": Buffer.byteLength(body) } : headers;
      const request = http.request(
        { host: hostname, port, method, path: requestPath, headers: allHeaders, agent },
        (response) => {
          const chunks = [];
          response.on("data", (chunk) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () =>
            resolve({
              status: response.statusCode,
              headers: response.headers,
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
        },
      );
      request.setTimeout(REQUEST_TIMEOUT_MS, () =>
        request.destroy(
          new Error(`${method} ${requestPath} timed out after ${REQUEST_TIMEOUT_MS} ms`),
        ),
      );
      request.on("error", reject);
      request.end(body);
    });
}

/** Calls `work` for every item, at most `limit` at a time. */
async function forEachLimited(items, limit, work) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Waits until PostgreSQL has published the counters of every finished transaction, then
 * returns the database's transaction count. See statsWaitSeconds in options.mjs.
 */
async function settledTransactionCount(admin, options) {
  await new Promise((resolve) => setTimeout(resolve, options.statsWaitSeconds * 1000));
  return readTransactionCount(admin, options.database);
}

function summarize({ design, users, intervalSeconds, window, statements }) {
  const { durationSeconds, requests } = window;
  const latencies = [...window.latenciesMs].sort((a, b) => a - b);
  const percentile = (share) =>
    latencies.length === 0
      ? null
      : latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))];
  // Users fall behind the set interval when the server responds slower than that, so the
  // expectation uses the interval they achieved.
  const achievedIntervalSeconds = requests > 0 ? (users * durationSeconds) / requests : null;
  let expectedStatementsPer1000 = 1000;
  if (design.refreshes) {
    expectedStatementsPer1000 =
      achievedIntervalSeconds === null
        ? null
        : (1000 * achievedIntervalSeconds) / refreshIntervalSeconds(design.tokenTtlSeconds);
  }
  return {
    design: design.name,
    label: design.label,
    path: design.path,
    intervalSeconds,
    achievedIntervalSeconds,
    durationSeconds,
    requests,
    requestsPerSecond: requests / durationSeconds,
    non2xx: window.non2xx,
    errors: window.errors,
    statusCodes: window.statusCodes,
    errorMessages: window.errorMessages,
    latencyP50Ms: percentile(0.5),
    latencyP99Ms: percentile(0.99),
    refreshes: window.refreshes,
    failedRefreshes: window.failedRefreshes,
    refreshesPerSecond: window.refreshes / durationSeconds,
    statements,
    statementsPerSecond: statements === null ? null : statements / durationSeconds,
    statementsPer1000: statements !== null && requests > 0 ? (statements * 1000) / requests : null,
    expectedStatementsPer1000,
    appCpuShare: window.appCpuShare,
    postgresCpuShare: window.postgresCpuShare,
    harnessCpuShare: window.harnessCpuShare,
  };
}

function formatPopulationLine(row) {
  const failures = row.non2xx + row.errors + row.failedRefreshes;
  return (
    `  ${row.requestsPerSecond.toFixed(0)} req/s, ${row.refreshesPerSecond.toFixed(1)} refreshes/s, ` +
    `${row.statementsPerSecond?.toFixed(1) ?? "-"} statements/s, ` +
    `${row.statementsPer1000?.toFixed(0) ?? "-"} per 1,000 requests ` +
    `(expected ${row.expectedStatementsPer1000?.toFixed(0) ?? "-"}), ` +
    `p50 ${row.latencyP50Ms?.toFixed(1) ?? "-"} ms, app CPU ${(row.appCpuShare * 100).toFixed(0)} %, ` +
    `harness CPU ${(row.harnessCpuShare * 100).toFixed(0)} %` +
    (failures > 0
      ? `, ${failures} FAILED: status codes ${JSON.stringify(row.statusCodes)}, ` +
        `errors ${JSON.stringify(row.errorMessages)}`
      : "")
  );
}
