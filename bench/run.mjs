// Tessera's benchmark: a token verified without a database call against a session looked up
// in PostgreSQL or Redis on every request, measured on production builds with autocannon.
//
// Usage: npm run bench [-- options]   (npm run bench -- --help lists them)
//
// Needs a production build with TESSERA_BENCH_ROUTES-gated routes (`npm run build`; the
// harness builds when none exists), PostgreSQL (it drops and creates the database named by
// --database) and, for the redis mode, Redis. Results go to bench/results/*.json and
// docs/benchmarks.md.

import path from "node:path";
import { pathToFileURL } from "node:url";

import {
  cookieHeader,
  mintTokenThroughApp,
  SESSION_COOKIE,
  TOKEN_COOKIE,
} from "./lib/app-session.mjs";
import {
  openAdmin,
  openBenchDatabase,
  postgresVersion,
  recreateDatabase,
  seedSessions,
  hashSecret,
} from "./lib/database.mjs";
import { startDelayProxy } from "./delay-proxy.mjs";
import {
  BUILD_MODES,
  measureModes,
  measureRefresh,
  medianRoundTripMs,
  requestModes,
} from "./lib/http-suites.mjs";
import { settleTransactions } from "./lib/load.mjs";
import { describeMachine, waitForQuietMachine } from "./lib/machine.mjs";
import { parseOptions } from "./lib/options.mjs";
import { runPopulationBenchmark } from "./lib/population.mjs";
import { listFailedRequests } from "./lib/quick.mjs";
import { connectRedis } from "./lib/redis.mjs";
import { formatTables, writeReport } from "./lib/report.mjs";
import {
  ensureBuild,
  ensureVariantBuild,
  serverEnvironment,
  startServer,
  stopAllServers,
} from "./lib/server.mjs";
import { runScaleBenchmark } from "./seed-scale.mjs";
import { runVerifyBenchmark } from "./verify.mjs";

// Key of each variant build's rows in the stored http results.
const RESULT_KEYS = { "no-middleware": "noMiddleware", proxy: "proxy" };

// Longest TOKEN_TTL_SECONDS the app accepts, so one token lasts the whole run.
const BENCH_TOKEN_TTL_SECONDS = "3600";
const REDIS_ENTRY_TTL_SECONDS = "3600";

const log = (message) => console.log(`[bench] ${message}`);

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    console.log(options.help);
    return;
  }
  if (options.reportOnly) {
    log(`Wrote ${(await writeReport(options.appDir, {})).join(", ")}.`);
    return;
  }
  if (options.quick) {
    log("--quick: a smoke run; nothing is written (--no-write) and nothing waits (--no-wait).");
  }
  const started = Date.now();
  const admin = openAdmin(options.postgresUrl);
  const results = { startedAt: new Date().toISOString(), options: publicOptions(options) };
  try {
    results.machine = describeMachine(options.appDir, await postgresVersion(admin));
    const wantsServer = ["http", "latency", "refresh"].some((suite) =>
      options.suites.includes(suite),
    );
    if (wantsServer) Object.assign(results, await runServerSuites(options, admin));
    if (options.suites.includes("population")) {
      if (options.waitForQuiet) await waitForQuietMachine(log);
      results.population = await runPopulationBenchmark({ options, admin, log });
    }
    if (options.suites.includes("verify")) {
      if (options.waitForQuiet) await waitForQuietMachine(log);
      log("Measuring token verification (bench/verify.mjs)");
      results.verify = await runVerifyBenchmark({
        appDir: options.appDir,
        secondsPerCase: options.verifySecondsPerCase,
        log,
      });
    }
    if (options.suites.includes("scale")) {
      if (options.waitForQuiet) await waitForQuietMachine(log);
      results.scale = await runScaleBenchmark({ ...options, admin, log });
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
  results.elapsedSeconds = Math.round((Date.now() - started) / 1000);

  console.log(`\n${formatTables(results)}`);
  if (options.write) {
    const files = await writeReport(options.appDir, results);
    log(`Wrote ${files.join(", ")}.`);
  }
  log(`Done in ${results.elapsedSeconds} s.`);
  if (options.quick) {
    const failed = listFailedRequests(results);
    for (const line of failed) console.error(`[bench] FAILED: ${line}`);
    if (failed.length > 0) process.exitCode = 1;
  }
}

/** Runs the suites that need app servers: http, refresh and latency. */
async function runServerSuites(options, admin) {
  const { appDir } = options;
  ensureBuild(appDir, log);
  const builds = options.suites.includes("http") ? options.builds : [];
  // Built before any measurement, so that no build runs while a mode is measured.
  const variantDirs = Object.fromEntries(
    builds
      .filter((build) => build !== "middleware")
      .map((build) => [build, ensureVariantBuild(appDir, build, log)]),
  );

  await recreateDatabase(admin, options.database);
  const { generateSigningKeyEnv } = await import(
    pathToFileURL(path.join(appDir, "scripts", "signing-key.mjs")).href
  );
  const databaseUrl = `${options.postgresUrl}/${options.database}`;
  const baseEnv = {
    ...generateSigningKeyEnv(),
    TOKEN_TTL_SECONDS: BENCH_TOKEN_TTL_SECONDS,
    SECURE_COOKIES: "true",
    TESSERA_BENCH_REDIS_URL: options.redisUrl,
    TESSERA_BENCH_REDIS_PREFIX: options.redisPrefix,
  };
  const out = {};
  const notes = [];
  let seeded;
  let redis = null;
  const redisKeys = [];

  const withServer = async ({ dir, port, url }, work) => {
    if (options.waitForQuiet) await waitForQuietMachine(log);
    const env = serverEnvironment({ ...baseEnv, DATABASE_URL: url });
    const server = await startServer({ dir, port, env, log });
    try {
      return await work(server);
    } finally {
      await server.stop();
    }
  };

  try {
    await withServer({ dir: appDir, port: options.basePort, url: databaseUrl }, async (server) => {
      // The server has applied the migrations; now the rows can go in.
      const sql = openBenchDatabase(options.postgresUrl, options.database);
      try {
        seeded = await seedSessions(sql, options.refreshSessions);
      } finally {
        await sql.end({ timeout: 5 });
      }
      seeded.token = await mintTokenThroughApp(server.baseUrl, seeded.main.secret);
      redis = await openRedisWithEntry(options, seeded, redisKeys, notes);

      if (builds.includes("middleware")) {
        out.edgeAlgorithms = await checkEdgeAlgorithms(server, seeded);
        out.middleware = await measureBuild(server, admin, options, seeded, "middleware", redis);
      }
      if (options.suites.includes("refresh")) {
        const context = {
          server,
          admin,
          options,
          transactions: await settleTransactions(admin, options),
        };
        out.refresh = await measureRefresh(context, seeded.refreshSecrets, log);
      }
    });

    // Each variant gets its own port, so a server still stopping does not block the next one.
    const variantPorts = { "no-middleware": options.basePort + 1, proxy: options.basePort + 3 };
    for (const [build, dir] of Object.entries(variantDirs)) {
      out[RESULT_KEYS[build]] = await withServer(
        { dir, port: variantPorts[build], url: databaseUrl },
        (server) => measureBuild(server, admin, options, seeded, build, redis),
      );
    }

    if (options.suites.includes("latency")) {
      out.latency = await measureWithAddedLatency(options, admin, seeded, withServer, databaseUrl);
    }
  } finally {
    if (redis) {
      if (redisKeys.length > 0) await redis.command(["DEL", ...redisKeys]);
      redis.close();
    }
  }
  out.notes = notes;
  return out;
}

/** Measures the build's default modes that --modes selected, leaving out redis without Redis. */
async function measureBuild(
  server,
  admin,
  options,
  seeded,
  build,
  redis,
  defaults = BUILD_MODES[build],
) {
  const modes = requestModes({ session: seeded.main, token: seeded.token, build });
  const names = defaults.filter(
    (name) => options.modes.includes(name) && (modes[name].store !== "redis" || redis),
  );
  return measureModes({ server, admin, options }, modes, names, log);
}

/**
 * Returns which signing algorithms jose can verify in the server's Edge runtime. The route
 * sits behind middleware, so the request carries the session's token.
 */
async function checkEdgeAlgorithms(server, seeded) {
  const cookie = cookieHeader({
    [SESSION_COOKIE]: seeded.main.secret,
    [TOKEN_COOKIE]: seeded.token,
  });
  const response = await fetch(`${server.baseUrl}/api/bench/edge-algorithms`, {
    headers: { cookie },
  });
  if (!response.ok) {
    throw new Error(
      `GET /api/bench/edge-algorithms returned ${response.status}: ${await response.text()}`,
    );
  }
  return response.json();
}

/**
 * Writes the main session's Redis entry and returns the connection, or null with a note when
 * Redis cannot be reached or the redis mode is not selected.
 */
async function openRedisWithEntry(options, seeded, redisKeys, notes) {
  const wantsRedis = options.modes.some((name) => name.endsWith("redis"));
  if (!wantsRedis || !options.suites.includes("http")) return null;
  let redis;
  try {
    redis = await connectRedis(options.redisUrl);
  } catch (error) {
    notes.push(
      `The redis mode was skipped: Redis at ${options.redisUrl} is not reachable (${error.message}).`,
    );
    log(notes.at(-1));
    return null;
  }
  const key = `${options.redisPrefix}session:${hashSecret(seeded.main.secret)}`;
  const entry = {
    userId: seeded.main.userId,
    sessionId: seeded.main.sessionId,
    organizationId: seeded.main.organizationId,
    role: "member",
    status: "active",
  };
  await redis.command(["SET", key, JSON.stringify(entry), "EX", REDIS_ENTRY_TTL_SECONDS]);
  redisKeys.push(key);
  return redis;
}

/** Repeats the stateless and db modes with the database behind the delay proxy. */
async function measureWithAddedLatency(options, admin, seeded, withServer, databaseUrl) {
  const target = new URL(options.postgresUrl);
  const proxy = await startDelayProxy({
    listenPort: options.proxyPort,
    targetPort: Number(target.port || 5432),
    delayMs: options.addedRoundTripMs,
  });
  try {
    const proxiedUrl = `postgres://${target.username}@127.0.0.1:${options.proxyPort}/${options.database}`;
    const directMs = await medianRoundTripMs(databaseUrl);
    const proxiedMs = await medianRoundTripMs(proxiedUrl);
    log(
      `select 1 round trip: ${directMs.toFixed(3)} ms direct, ${proxiedMs.toFixed(3)} ms through the proxy`,
    );
    const modes = await withServer(
      { dir: options.appDir, port: options.basePort + 2, url: proxiedUrl },
      (server) =>
        measureBuild(server, admin, options, seeded, "middleware", null, ["stateless", "db"]),
    );
    return { directRoundTripMs: directMs, proxiedRoundTripMs: proxiedMs, modes };
  } finally {
    await proxy.close();
  }
}

// The options stored with the results, without the local folder.
function publicOptions(options) {
  const stored = { ...options };
  delete stored.appDir;
  return stored;
}

// Ctrl-C or a kill stops the servers too, which run in process groups of their own. Redis
// entries left behind expire after REDIS_ENTRY_TTL_SECONDS.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    log(`Stopping on ${signal}.`);
    void stopAllServers().finally(() => process.exit(130));
  });
}

main().catch(async (error) => {
  console.error(`[bench] ${error.stack ?? error}`);
  process.exitCode = 1;
  await stopAllServers();
});
