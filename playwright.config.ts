import { tmpdir } from "node:os";
import path from "node:path";

import { defineConfig } from "@playwright/test";

import { generateSigningKeyEnv } from "./scripts/signing-key.mjs";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const BASE_URL = `http://127.0.0.1:${PORT}`;
// A second server with limits short enough to watch idle and absolute timeouts happen.
const LIMITS_PORT = PORT + 1;
const LIMITS_BASE_URL = `http://127.0.0.1:${LIMITS_PORT}`;

/** Short token lifetime so revocation and refresh can be watched within seconds. */
export const E2E_TOKEN_TTL_SECONDS = 5;

/** Limits of the second server, used by e2e/session-limits.spec.ts. */
export const E2E_SHORT_LIMITS = {
  idleTimeoutSeconds: 12,
  absoluteTimeoutSeconds: 35,
  stepUpMaxAgeSeconds: 8,
};

// Fresh embedded databases per run, outside the repository so that no build or file
// watcher reads them. Set DATABASE_URL to run the suite against a Postgres server instead.
// Workers load this file again, so the folder is chosen once and passed on in the environment.
process.env.TESSERA_E2E_RUN_FOLDER ??= path.join(
  tmpdir(),
  `tessera-e2e-${process.pid}-${Date.now()}`,
);
const runFolder = process.env.TESSERA_E2E_RUN_FOLDER;

/** Folder of the build without middleware.ts that scripts/build-without-middleware.mjs makes. */
const NO_MIDDLEWARE_DIR = path.join(tmpdir(), "tessera-no-middleware");
/** A third server, built without middleware, for the attack and bypass suite. */
const NO_MIDDLEWARE_PORT = PORT + 2;

/**
 * Returns the signing keys of the server on `port`. The attack suite signs forged tokens with
 * them. Like the run folder, they are chosen once and passed to workers in the environment.
 */
export function e2eServerKeys(port: number): {
  TOKEN_SIGNING_KEY: string;
  TOKEN_PUBLIC_KEYS: string;
} {
  const variable = `TESSERA_E2E_KEYS_${port}`;
  process.env[variable] ??= JSON.stringify(generateSigningKeyEnv());
  return JSON.parse(process.env[variable]!) as ReturnType<typeof e2eServerKeys>;
}

/** File where the default server writes the messages it sends (the outbox notifier). */
export const E2E_OUTBOX_FILE = path.join(runFolder, "default-outbox.jsonl");

function serverEnv(port: number, dataFolder: string, extra: Record<string, string> = {}) {
  return {
    ...e2eServerKeys(port),
    APP_URL: `http://127.0.0.1:${port}`,
    NOTIFIER: "outbox",
    NOTIFIER_OUTBOX_FILE: path.join(runFolder, `${dataFolder}-outbox.jsonl`),
    TOKEN_TTL_SECONDS: String(E2E_TOKEN_TTL_SECONDS),
    PGLITE_DATA_DIR: path.join(runFolder, dataFolder),
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    ...extra,
  };
}

function server(port: number, env: Record<string, string>, cwd?: string) {
  return {
    cwd,
    command: `npx next start --hostname 127.0.0.1 --port ${port}`,
    // The health route opens and migrates the database, so tests start on a ready server.
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe" as const,
    stderr: "pipe" as const,
    env,
  };
}

export default defineConfig({
  testDir: "e2e",
  // Two cores: one browser at a time next to the servers keeps timings steady.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  // CI reads the JSON report (path from PLAYWRIGHT_JSON_OUTPUT_NAME) to count results.
  reporter: process.env.CI ? [["list"], ["json"]] : "list",
  use: {
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
  projects: [
    {
      name: "default-limits",
      testIgnore: /session-limits\.spec\.ts/,
      use: { baseURL: BASE_URL },
    },
    {
      // The same attacks against a build without middleware.ts: pages, route handlers and
      // server actions must refuse on their own.
      name: "no-middleware",
      testMatch: /attacks\.spec\.ts/,
      use: { baseURL: `http://127.0.0.1:${NO_MIDDLEWARE_PORT}` },
    },
    {
      name: "short-limits",
      testMatch: /session-limits\.spec\.ts/,
      use: { baseURL: LIMITS_BASE_URL },
    },
  ],
  webServer: [
    server(PORT, serverEnv(PORT, "default")),
    server(
      LIMITS_PORT,
      serverEnv(LIMITS_PORT, "short-limits", {
        SESSION_IDLE_TIMEOUT_SECONDS: String(E2E_SHORT_LIMITS.idleTimeoutSeconds),
        SESSION_ABSOLUTE_TIMEOUT_SECONDS: String(E2E_SHORT_LIMITS.absoluteTimeoutSeconds),
        STEP_UP_MAX_AGE_SECONDS: String(E2E_SHORT_LIMITS.stepUpMaxAgeSeconds),
      }),
    ),
    server(NO_MIDDLEWARE_PORT, serverEnv(NO_MIDDLEWARE_PORT, "no-middleware"), NO_MIDDLEWARE_DIR),
  ],
});
