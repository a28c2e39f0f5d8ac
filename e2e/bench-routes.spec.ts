import { expect, test } from "@playwright/test";

import { signUp, uniqueEmail } from "./helpers";

// The benchmark's routes and page exist in every build but must stay closed unless the server
// was started with TESSERA_BENCH_ROUTES=1, which the e2e servers are not.
test("benchmark routes and page are 404 when not enabled", async ({ page }) => {
  await signUp(page, uniqueEmail("bench-closed"));

  for (const path of [
    "/api/bench/session-db",
    "/api/bench/session-redis",
    "/api/bench/edge-algorithms",
  ]) {
    const response = await page.request.get(path);
    expect(response.status(), path).toBe(404);
  }
  for (const check of ["none", "token", "db", "redis"]) {
    const response = await page.goto(`/bench/${check}`);
    expect(response?.status(), check).toBe(404);
  }
});
