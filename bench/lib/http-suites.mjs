// The request modes measured against a running server, and the refresh and latency suites.

import autocannon from "autocannon";
import postgres from "postgres";

import {
  checkRequest,
  cookieHeader,
  SAME_ORIGIN_HEADERS,
  SESSION_COOKIE,
  TOKEN_COOKIE,
} from "./app-session.mjs";
import { measureMode, settleTransactions } from "./load.mjs";
import { HTTP_MODES } from "./options.mjs";
import { findBusyProcesses, waitForQuietMachine } from "./machine.mjs";

// Busy CPU of other processes, in cores, above which a measurement counts as disturbed and is
// repeated. PostgreSQL's background writers stay well below it.
const OTHER_CPU_LIMIT_CORES = 0.2;
const MAX_ATTEMPTS = 3;

/**
 * Request modes measured by default on each build. Without middleware.ts or as proxy.ts, the
 * comparisons that matter most are kept, to bound the run's length.
 */
export const BUILD_MODES = {
  middleware: HTTP_MODES,
  "no-middleware": ["floor", "stateless", "db", "redis", "page-stateless", "page-db"],
  proxy: ["floor", "stateless", "db", "page-floor", "page-stateless", "page-db"],
};

/**
 * Returns the request modes for one build. Each sends the cookies a browser of that design
 * would send. Where middleware runs (middleware.ts or proxy.ts), every mode but the public
 * floor also carries the token, because middleware lets no request without one through.
 */
export function requestModes({ session, token, build }) {
  const both = cookieHeader({ [SESSION_COOKIE]: session.secret, [TOKEN_COOKIE]: token });
  const sessionOnly = cookieHeader({ [SESSION_COOKIE]: session.secret });
  const filtered = build !== "no-middleware";
  const lookupCookies = filtered ? both : sessionOnly;
  const get = (path, cookie) => ({
    method: "GET",
    path,
    ...(cookie ? { headers: { cookie } } : {}),
  });
  return {
    floor: {
      label: "no authentication: GET /.well-known/jwks.json",
      request: get("/.well-known/jwks.json"),
    },
    stateless: {
      label: "Tessera: token verified (cached), no lookup",
      request: get("/api/access/member", both),
    },
    db: {
      label: "session row read from PostgreSQL per request",
      store: "postgres",
      request: get("/api/bench/session-db", lookupCookies),
    },
    redis: {
      label: "session read from Redis per request",
      store: "redis",
      request: get("/api/bench/session-redis", lookupCookies),
    },
    "page-floor": {
      label: "page /bench/none: no check in the page",
      request: get("/bench/none", filtered ? both : null),
    },
    "page-stateless": {
      label: "page /bench/token: Tessera's token check (requireRole)",
      request: get("/bench/token", both),
    },
    "page-db": {
      label: "page /bench/db: session row read from PostgreSQL",
      store: "postgres",
      request: get("/bench/db", lookupCookies),
    },
    "page-redis": {
      label: "page /bench/redis: session read from Redis",
      store: "redis",
      request: get("/bench/redis", lookupCookies),
    },
    playground: {
      label: "page /playground as shipped: token, plus the signed-in layout's organization list",
      request: get("/playground", both),
    },
  };
}

/**
 * Measures the named modes one after another on the context's server. Every mode is checked
 * and warmed up first, so that the first one measured does not pay for the JIT compiling the
 * code all modes share.
 */
export async function measureModes(context, modes, names, log) {
  const { server, options } = context;
  for (const name of names) {
    await checkRequest(server.baseUrl, modes[name].request);
    if (options.warmupSeconds > 0) {
      await autocannon({
        url: server.baseUrl,
        connections: options.connections,
        duration: options.warmupSeconds,
        requests: [modes[name].request],
      });
    }
  }
  // After the warm-ups, which also run statements, so that the first mode counts only its own.
  context.transactions = await settleTransactions(context.admin, options);
  const results = [];
  for (const name of names) {
    const mode = { name, ...modes[name] };
    log(`Measuring ${name}: ${mode.label}`);
    const result = await measureUndisturbed(context, mode, log);
    log(formatLine(result));
    results.push(result);
  }
  return results;
}

/**
 * Measures POST /api/auth/refresh, each request with the next of `secrets`, so that every
 * refresh reads and updates a different session row, as many browsers would.
 */
export async function measureRefresh(context, secrets, log) {
  let next = 0;
  const request = {
    method: "POST",
    path: "/api/auth/refresh",
    headers: SAME_ORIGIN_HEADERS,
    body: JSON.stringify({ activity: true }),
    setupRequest(outgoing) {
      const secret = secrets[next % secrets.length];
      next += 1;
      return {
        ...outgoing,
        headers: { ...outgoing.headers, cookie: `${SESSION_COOKIE}=${secret}` },
      };
    },
  };
  await checkRequest(context.server.baseUrl, {
    ...request,
    headers: { ...request.headers, cookie: `${SESSION_COOKIE}=${secrets[0]}` },
  });
  log(`Measuring refresh over ${secrets.length} sessions`);
  const result = await measureUndisturbed(
    context,
    {
      name: "refresh",
      label: `POST /api/auth/refresh, ${secrets.length} sessions in turn`,
      store: "postgres",
      request,
    },
    log,
  );
  log(formatLine(result));
  return result;
}

/**
 * Measures a mode, again up to MAX_ATTEMPTS times while other programs used the machine
 * during the measurement. The result records whether it was still disturbed.
 */
async function measureUndisturbed(context, mode, log) {
  for (let attempt = 1; ; attempt += 1) {
    if (context.options.waitForQuiet) await waitForQuietMachine(log);
    const result = await measureMode(context, mode);
    const busy = findBusyProcesses();
    const disturbed = result.otherCpuShare > OTHER_CPU_LIMIT_CORES || busy.length > 0;
    if (!disturbed || !context.options.waitForQuiet || attempt === MAX_ATTEMPTS) {
      return { ...result, disturbed };
    }
    log(
      `  Other programs used ${result.otherCpuShare.toFixed(2)} cores during ${mode.name}` +
        `${busy.length > 0 ? ` (${busy.length} build, CI or Playwright processes)` : ""}; measuring it again.`,
    );
  }
}

/**
 * Returns the median round trip of `select 1` in milliseconds over one connection, from
 * 300 queries after 50 unmeasured ones.
 */
export async function medianRoundTripMs(url) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const timings = [];
    for (let index = 0; index < 350; index += 1) {
      const started = performance.now();
      await sql`select 1`;
      if (index >= 50) timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    return timings[Math.floor(timings.length / 2)];
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function formatLine(result) {
  const failures = result.non2xx + result.errors;
  return (
    `  ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.latencyP50Ms} ms, ` +
    `p99 ${result.latencyP99Ms} ms, app CPU ${round(result.appCpuMicroseconds)} µs/req, ` +
    `${round(result.statementsPer1000)} statements per 1,000` +
    (failures > 0 ? `, ${failures} FAILED` : "")
  );
}

const round = (value) => (value === null ? "-" : value.toFixed(0));
