// The population suite's section of docs/benchmarks.md.

import { fixed } from "./format.mjs";

/** Statements per 1,000 requests that Tessera's design should stay under. */
export const STATEMENTS_PER_1000_TARGET = 20;

/** Renders the population suite's section: what ran, the table, and the arithmetic. */
export function renderPopulation(file) {
  const {
    users,
    windowSeconds,
    tokenTtlSeconds,
    refreshIntervalSeconds,
    statelessWarmupSeconds,
    maxSockets,
    jitter,
    runs,
  } = file.data;
  const lines = [
    "## Many signed-in users: statements follow sessions, not requests",
    "",
    `${users} simulated users, each with its own seeded session, each sending a request every R seconds ` +
      `(each gap drawn from R ± ${fixed(jitter * 100, 0)} %) for ${windowSeconds} s per row, from the harness ` +
      `over at most ${maxSockets} keep-alive sockets. One server per design; the statement count of a row is ` +
      "the database's transactions between two readings, each taken after waiting for PostgreSQL to publish " +
      "its counters, so the seeding, the sign-ins and the other rows are not in it.",
    "",
    `- stateless: GET /api/access/member on a server with ${tokenTtlSeconds} s tokens, the app's default. Each ` +
      'user refreshes its token through POST /api/auth/refresh `{"activity": true}` when the token has 15 s ' +
      `left, as the client loop does, so once every ${refreshIntervalSeconds} s, and uses the token cookie the ` +
      `refresh sets. The first refreshes are spread evenly over ${refreshIntervalSeconds} s, during an unmeasured ` +
      `warm-up of ${statelessWarmupSeconds} s.`,
    "- db: GET /api/bench/session-db, one session row read per request, with a token that lasts 3600 s so",
    "  that middleware needs no refresh and only the lookup reaches the database.",
    "",
    "| design | R set, s | R achieved, s | req/s | p50 ms | p99 ms | refreshes/s | statements/s | statements per 1,000 req | expected per 1,000 | app CPU | PostgreSQL CPU | failed |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ...runs.map(
      (row) =>
        `| ${row.design} | ${fixed(row.intervalSeconds, 1)} | ${fixed(row.achievedIntervalSeconds, 2)} | ` +
        `${fixed(row.requestsPerSecond, 0)} | ${fixed(row.latencyP50Ms, 1)} | ${fixed(row.latencyP99Ms, 1)} | ` +
        `${fixed(row.refreshesPerSecond, 2)} | ${fixed(row.statementsPerSecond, 2)} | ` +
        `${fixed(row.statementsPer1000, 0)} | ${fixed(row.expectedStatementsPer1000, 0)} | ` +
        `${fixed(row.appCpuShare * 100, 0)} % | ${fixed(row.postgresCpuShare * 100, 0)} % | ` +
        `${row.non2xx + row.errors + row.failedRefreshes} |`,
    ),
    "",
    ...explainArithmetic(file.data),
  ];
  return lines.join("\n");
}

function explainArithmetic({ users, refreshIntervalSeconds: interval, runs }) {
  const limitSeconds = (STATEMENTS_PER_1000_TARGET * interval) / 1000;
  const stateless = runs.filter(
    (row) => row.design === "stateless" && row.statementsPer1000 !== null,
  );
  const lines = [
    `With Tessera a signed-in user costs one statement per refresh, every ${interval} s, whatever it`,
    `requests in between. A user with a request every R seconds makes ${interval} ÷ R requests per`,
    "refresh, so:",
    "",
    `- statements per 1,000 requests = 1000 × R ÷ ${interval}, the expected column above, with R as achieved;`,
    `- statements per second = users ÷ ${interval}, here ${users} ÷ ${interval} = ${fixed(users / interval, 2)}, at any R.`,
    "",
    `Under ${STATEMENTS_PER_1000_TARGET} statements per 1,000 requests therefore needs R under ${fixed(limitSeconds, 2)} s,`,
    `more than ${fixed(interval / limitSeconds, 0)} requests per user in every ${interval} s. R achieved is`,
    "users × seconds ÷ requests: it is above the set interval when the server answered slower than that.",
  ];
  if (stateless.length > 0) {
    lines.push(
      "",
      "In this run: " +
        stateless
          .map(
            (row) =>
              `at R = ${fixed(row.achievedIntervalSeconds, 2)} s the formula gives ${fixed(row.expectedStatementsPer1000, 0)} ` +
              `and the run measured ${fixed(row.statementsPer1000, 0)} per 1,000 requests, ` +
              `${row.statementsPer1000 < STATEMENTS_PER_1000_TARGET ? "under" : "over"} ${STATEMENTS_PER_1000_TARGET}`,
          )
          .join("; ") +
        ". A session lookup per request costs 1,000 statements per 1,000 requests at any R, so its " +
        "statements per second follow the request rate.",
    );
  }
  return lines;
}
