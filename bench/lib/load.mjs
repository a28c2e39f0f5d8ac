// One measured request mode: autocannon load after a warm-up, with the CPU time of the app
// server, of PostgreSQL's backends and of Redis, and PostgreSQL's transaction count.

import autocannon from "autocannon";

import { postgresServerPids, readTransactionCount } from "./database.mjs";
import {
  cpuSecondsBetween,
  pidsNamed,
  processTree,
  readCpuSeconds,
  readMachineBusySeconds,
} from "./machine.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Measures one mode. `request` is what autocannon sends: `path`, `method`, `headers`, `body`,
 * or a `setupRequest` that changes each request (the refresh suite rotates sessions so).
 * `context` contains the server, the admin connection and the run options. Statements are
 * counted over warm-up and measurement together, because PostgreSQL publishes a backend's
 * counters only after it has been idle for a while.
 */
export async function measureMode(context, mode) {
  const { server, admin, options, transactions } = context;
  const base = {
    url: server.baseUrl,
    connections: options.connections,
    requests: [mode.request],
  };

  let warmupRequests = 0;
  if (options.warmupSeconds > 0) {
    const warm = await autocannon({ ...base, duration: options.warmupSeconds });
    warmupRequests = warm.requests.sent;
  }

  const serverBefore = readCpuSeconds(processTree(server.pid));
  const backendsBefore = readCpuSeconds(postgresServerPids());
  const redisBefore = readCpuSeconds(pidsNamed("redis-server"));
  const machineBefore = readMachineBusySeconds();
  const clientBefore = process.cpuUsage();
  const result = await autocannon({ ...base, duration: options.durationSeconds });
  const client = process.cpuUsage(clientBefore);
  const machineBusy = readMachineBusySeconds() - machineBefore;
  const serverAfter = readCpuSeconds(processTree(server.pid));
  const backendsAfter = readCpuSeconds(postgresServerPids());
  const redisAfter = readCpuSeconds(pidsNamed("redis-server"));

  await sleep(options.statsWaitSeconds * 1000);
  const count = await readTransactionCount(admin, options.database);
  // Without the wait, late counters land in the next mode, so a run without it has no count.
  const statements = options.statsWaitSeconds > 0 ? count - transactions.settled : null;
  transactions.settled = count;

  const appCpu = cpuSecondsBetween(serverBefore, serverAfter);
  const postgresCpu = cpuSecondsBetween(backendsBefore, backendsAfter);
  const redisCpu = cpuSecondsBetween(redisBefore, redisAfter);
  const clientCpu = (client.user + client.system) / 1e6;
  const completed = result.requests.total;
  const perRequest = (seconds) => (completed > 0 ? (seconds * 1e6) / completed : null);
  return {
    mode: mode.name,
    label: mode.label,
    path: mode.request.path,
    durationSeconds: result.duration,
    requests: completed,
    requestsPerSecond: completed / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count]),
    ),
    appCpuMicroseconds: perRequest(appCpu),
    postgresCpuMicroseconds: perRequest(postgresCpu),
    redisCpuMicroseconds: mode.store === "redis" ? perRequest(redisCpu) : null,
    loadGeneratorCpuShare: clientCpu / result.duration,
    // Busy CPU of the whole machine that none of the measured processes used, in cores: other
    // programs, and PostgreSQL's background processes.
    otherCpuShare:
      Math.max(0, machineBusy - appCpu - postgresCpu - redisCpu - clientCpu) / result.duration,
    statementsPer1000:
      statements === null ? null : (statements * 1000) / (warmupRequests + result.requests.sent),
  };
}

/** Waits until PostgreSQL's counters are published and returns the tracker modes update. */
export async function settleTransactions(admin, options) {
  await sleep(options.statsWaitSeconds * 1000);
  return { settled: await readTransactionCount(admin, options.database) };
}
