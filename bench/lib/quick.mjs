// The check of a `--quick` smoke run: every request it sent must have succeeded, so that CI
// notices a benchmark route, a request mode or the harness itself going stale.

/** Returns one line per measured request mode or population window with failed requests. */
export function listFailedRequests(results) {
  const failures = [];
  const check = (where, row) => {
    const failed = row.non2xx + row.errors + (row.failedRefreshes ?? 0);
    if (failed > 0) {
      failures.push(
        `${where} ${row.mode ?? row.design}: ${failed} failed requests, status codes ` +
          `${JSON.stringify(row.statusCodes)}` +
          (row.errorMessages ? `, errors ${JSON.stringify(row.errorMessages)}` : ""),
      );
    }
  };
  for (const row of results.middleware ?? []) check("http (middleware)", row);
  for (const row of results.noMiddleware ?? []) check("http (no middleware)", row);
  for (const row of results.proxy ?? []) check("http (proxy.ts)", row);
  for (const row of results.latency?.modes ?? []) check("latency", row);
  if (results.refresh) check("refresh", results.refresh);
  for (const row of results.population?.runs ?? []) {
    check(`population, a request every ${row.intervalSeconds} s,`, row);
  }
  return failures;
}
