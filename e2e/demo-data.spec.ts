import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

import { expect, test, type Page } from "@playwright/test";

import type * as SeedDemo from "../scripts/seed-demo.mjs";
import { USER_AGENTS } from "./helpers";
import { findFreePort, startAppServer, type AppServer } from "./throwaway-servers";

// Follows the README's quick start for demo data: `npm run db:seed` on an embedded database,
// then a server on that database, then a sign-in with the demo credentials that the README
// prints. The spec starts its own server (run `next build` first) and ignores the configured
// baseURL. Its PGlite folder lives in the system temporary folder, never in .data/, and the
// seed finishes before the server opens the folder, because two processes on one PGlite folder
// lose data.

const PORT = 3760;
const REPOSITORY_ROOT = path.resolve(__dirname, "..");
const SEED_SCRIPT = "scripts/seed-demo.mjs";

const run = promisify(execFile);

// The demo data's constants, from the seed script itself, so the spec follows its changes.
let seed: typeof SeedDemo;
let dataParent: string | undefined;
let dataFolder = "";
let seedOutput = "";
let server: AppServer | undefined;

/** Returns the demo admin's email and password as the README's quick start gives them. */
async function readmeCredentials(): Promise<{ email: string; password: string }> {
  const readme = await readFile(path.join(REPOSITORY_ROOT, "README.md"), "utf8");
  const match = /Sign in as `([^`]+)` with the password `([^`]+)`/.exec(readme);
  if (!match) {
    throw new Error("README.md names no demo sign-in (Sign in as `…` with the password `…`).");
  }
  return { email: match[1]!, password: match[2]! };
}

/**
 * Loads the seed script as a module. A static import fails: Playwright compiles it to
 * CommonJS, which Node rejects in an .mjs file, while a dynamic import of its file URL loads it
 * unchanged.
 */
async function loadSeedModule(): Promise<typeof SeedDemo> {
  return (await import(
    pathToFileURL(path.join(REPOSITORY_ROOT, SEED_SCRIPT)).href
  )) as typeof SeedDemo;
}

/** Returns the account of the seed with the key `key`, such as "maya". */
function demoAccount(key: string) {
  const account = seed.DEMO_ACCOUNTS.find((candidate) => candidate.key === key);
  if (!account) throw new Error(`The seed has no demo account "${key}".`);
  return account;
}

/** Returns the devices page's label of the seed's device `key`, such as "Chrome on macOS". */
function deviceLabel(key: string): string {
  const device = seed.DEMO_DEVICES[key];
  if (!device) throw new Error(`The seed has no demo device "${key}".`);
  return `${device.browser} on ${device.os}`;
}

/** Returns the seed's place `key`, such as "berlinOffice". */
function demoPlace(key: string) {
  const place = seed.DEMO_PLACES[key];
  if (!place) throw new Error(`The seed has no demo place "${key}".`);
  return place;
}

/** Returns the devices page's line of the seed's place `key`: "Berlin, Germany · 203.0.113.24". */
function placeLine(key: string): string {
  const place = demoPlace(key);
  return `${place.location} · ${place.ip}`;
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // Fails at once when something else listens on the port, instead of testing that server.
  await findFreePort(PORT, PORT);
  seed = await loadSeedModule();
  dataParent = await mkdtemp(path.join(tmpdir(), "tessera-demo-data-"));
  // A folder that does not exist yet, as on a fresh machine: the seed creates and migrates it.
  dataFolder = path.join(dataParent, "pglite");

  // The command the README gives, `npm run db:seed`, runs this script.
  const packageJson = JSON.parse(
    await readFile(path.join(REPOSITORY_ROOT, "package.json"), "utf8"),
  );
  expect(packageJson.scripts["db:seed"]).toBe(`node ${SEED_SCRIPT}`);
  // An empty DATABASE_URL counts as unset for both the seed and the app, and it keeps a
  // DATABASE_URL from the caller's environment or an .env file from pointing them elsewhere.
  const { stdout } = await run(process.execPath, [SEED_SCRIPT], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, NODE_ENV: "development", DATABASE_URL: "", PGLITE_DATA_DIR: dataFolder },
    timeout: 120_000,
  });
  seedOutput = stdout;

  server = await startAppServer(PORT, { DATABASE_URL: "", PGLITE_DATA_DIR: dataFolder });
});

test.afterAll(async () => {
  await server?.stop();
  if (dataParent) await rm(dataParent, { recursive: true, force: true });
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status === testInfo.expectedStatus) return;
  await testInfo.attach("seed output", { body: seedOutput, contentType: "text/plain" });
  if (server) {
    await testInfo.attach("server output", { body: server.output(), contentType: "text/plain" });
  }
});

async function signInAsDemoAdmin(page: Page): Promise<void> {
  const { email, password } = await readmeCredentials();
  await page.goto(`${server!.url}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${server!.url}/account/security`);
}

test("demo admin sees the seeded devices, members and activity", async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = demoAccount("maya");
  const { email, password } = await readmeCredentials();
  expect(email).toBe(admin.email);
  expect(password).toBe(seed.DEMO_PASSWORD);
  expect(seedOutput).toContain(
    `PGlite at ${dataFolder}: Seeded ${seed.DEMO_ACCOUNTS.length} accounts`,
  );

  // A browser that no demo session uses, so its row differs from the seeded ones.
  const context = await browser.newContext({ userAgent: USER_AGENTS.safariOnMac });
  const page = await context.newPage();
  await signInAsDemoAdmin(page);

  // Devices: this browser plus the admin's three seeded devices, one of them two sessions of
  // the same phone and network.
  await expect(page.getByRole("heading", { name: "Your devices" })).toBeVisible();
  await expect(page.getByText(`Signed in as ${admin.displayName} (${admin.email})`)).toBeVisible();
  const devices = page.getByTestId("device-group");
  await expect(devices).toHaveCount(4);
  await expect(devices.first()).toContainText("This device");
  const laptop = devices.filter({ hasText: "Work laptop" });
  await expect(laptop).toContainText(deviceLabel("chromeMac"));
  await expect(laptop).toContainText(placeLine("berlinOffice"));
  const phone = devices.filter({ hasText: deviceLabel("safariIphone") });
  await expect(phone.getByTestId("device-sessions-toggle")).toHaveText("2 sessions");
  await expect(phone).toContainText(placeLine("berlinHome"));
  const vpn = devices.filter({ hasText: deviceLabel("firefoxWindows") });
  await expect(vpn).toContainText(placeLine("officeVpn"));
  await expect(page.getByTestId("only-this-device")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Sign out of all other devices" })).toBeVisible();

  // The month of history: sign-outs for several reasons and places, and security events.
  const history = page.getByTestId("history-entry");
  await expect(history).toHaveCount(7);
  for (const place of ["saoPaulo", "lisbon", "rotterdam"]) {
    await expect(history.filter({ hasText: demoPlace(place).location })).toHaveCount(1);
  }
  const activity = page.getByTestId("activity-entry");
  await expect(activity.first()).toContainText("Signed in");
  await expect(activity.filter({ hasText: demoPlace("munich").location }).first()).toBeVisible();
  expect(await activity.count()).toBeGreaterThan(10);

  // Members: the demo organization is the one this sign-in starts in, with its five accounts.
  await page.getByRole("link", { name: "Members" }).click();
  await expect(page.getByRole("heading", { name: "Members" })).toBeVisible();
  await expect(page.getByText(seed.DEMO_ORGANIZATION.name, { exact: true })).toBeVisible();
  const members = page.getByTestId("member-row");
  await expect(members).toHaveCount(seed.DEMO_ACCOUNTS.length);
  for (const account of seed.DEMO_ACCOUNTS) {
    const row = page.locator(`[data-testid="member-row"][data-email="${account.email}"]`);
    await expect(row).toContainText(account.displayName);
    await expect(row.getByTestId("member-role")).toHaveText(account.role);
  }
  await expect(members.filter({ hasText: "(you)" })).toContainText(admin.displayName);
  await expect(page.getByTestId("only-member")).toHaveCount(0);

  // Access timeline: the token carries the admin role in the demo organization, and both
  // stateless checks pass.
  await page.getByRole("link", { name: "Access timeline" }).click();
  await expect(page.getByRole("heading", { name: "Access timeline" })).toBeVisible();
  await expect(page.getByTestId("current-role")).toHaveText("role admin");
  await expect(
    page.getByLabel("Organization", { exact: true }).locator("option:checked"),
  ).toHaveText(`${seed.DEMO_ORGANIZATION.name} (admin)`);
  await page.getByRole("button", { name: "Member action" }).click();
  await page.getByRole("button", { name: "Admin action" }).click();
  for (const lane of ["member", "admin"]) {
    await expect(
      page.locator(`[data-testid="timeline-entry"][data-lane="${lane}"][data-ok="true"]`),
    ).toHaveCount(1);
  }

  await context.close();
});
