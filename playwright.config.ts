import { tmpdir } from "node:os";
import path from "node:path";

import { defineConfig } from "@playwright/test";

import { generateSigningKeyEnv } from "./scripts/signing-key.mjs";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const BASE_URL = `http://127.0.0.1:${PORT}`;

/** Short token lifetime so revocation and refresh can be watched within seconds. */
export const E2E_TOKEN_TTL_SECONDS = 5;

// A fresh embedded database per run, outside the repository so that no build or file
// watcher reads it. Set DATABASE_URL to run the suite against a Postgres server instead.
const pgliteDataDir = path.join(tmpdir(), `tessera-e2e-${process.pid}-${Date.now()}`);

export default defineConfig({
  testDir: "e2e",
  // Two cores: one browser at a time next to the server keeps timings steady.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  // CI reads the JSON report (path from PLAYWRIGHT_JSON_OUTPUT_NAME) to count results.
  reporter: process.env.CI ? [["list"], ["json"]] : "list",
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium; Playwright's own browser download is not available here.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        // Without these Chromium keeps trying to reach update and sync hosts.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: `npx next start --hostname 127.0.0.1 --port ${PORT}`,
    // The health route opens and migrates the database, so tests start on a ready server.
    url: `${BASE_URL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      ...generateSigningKeyEnv(),
      TOKEN_TTL_SECONDS: String(E2E_TOKEN_TTL_SECONDS),
      PGLITE_DATA_DIR: pgliteDataDir,
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
