import { randomBytes } from "node:crypto";
import { readdir, readFile, readlink } from "node:fs/promises";

import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import postgres from "postgres";

import { generateSigningKeyEnv } from "../scripts/signing-key.mjs";
import { deviceRow, PASSWORD, TOKEN_COOKIE, uniqueEmail, USER_AGENTS } from "./helpers";
import {
  findFreePort,
  findPostgresBinaries,
  startAppServer,
  startThrowawayPostgres,
  type AppServer,
  type ThrowawayPostgres,
} from "./throwaway-servers";

// Two `next start` processes of the built app share one Postgres database and one key pair,
// and nothing else. A browser signs in on one, refreshes and revokes on the other, and the
// revocation reaches a device served by the first within one token lifetime. The spec starts
// its own servers (run `next build` first) and ignores the configured baseURL.

const TOKEN_TTL_SECONDS = 5;
const LIFETIME_MS = TOKEN_TTL_SECONDS * 1000;
const PORT_A = 3750;
const PORT_B = 3751;
const POSTGRES_PORTS = [55500, 55599] as const;
const SHARED_SERVER = { host: "127.0.0.1", port: 5432, username: "postgres" } as const;

let admin: postgres.Sql | undefined;
let cluster: ThrowawayPostgres | undefined;
let databaseName: string | undefined;
let databaseUrl: string | undefined;
let instanceA: AppServer | undefined;
let instanceB: AppServer | undefined;
let skipReason: string | undefined;

/** Returns a client of the machine's Postgres server, or undefined when it cannot be reached. */
async function connectToSharedServer(): Promise<postgres.Sql | undefined> {
  const client = postgres({
    ...SHARED_SERVER,
    database: "postgres",
    max: 1,
    connect_timeout: 3,
    onnotice: () => {},
  });
  try {
    await client`select 1`;
    return client;
  } catch (error) {
    console.warn(`Postgres on 127.0.0.1:5432 is not reachable: ${String(error)}`);
    await client.end({ timeout: 1 });
    return undefined;
  }
}

/** Creates a fresh database, on the machine's server or on a throwaway cluster. */
async function createDatabase(): Promise<string | undefined> {
  admin = await connectToSharedServer();
  let origin = `postgres://${SHARED_SERVER.username}@${SHARED_SERVER.host}:${SHARED_SERVER.port}`;
  if (!admin) {
    const bin = findPostgresBinaries();
    if (!bin) return undefined;
    const port = await findFreePort(...POSTGRES_PORTS);
    cluster = await startThrowawayPostgres(bin, port);
    origin = `postgres://postgres@127.0.0.1:${port}`;
    admin = postgres(`${origin}/postgres`, { max: 1, onnotice: () => {} });
  }
  databaseName = `tessera_two_${randomBytes(6).toString("hex")}`;
  await admin.unsafe(`create database "${databaseName}"`);
  return `${origin}/${databaseName}`;
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  databaseUrl = await createDatabase();
  if (!databaseUrl) {
    skipReason =
      "Neither a Postgres server on 127.0.0.1:5432 nor initdb under /usr/lib/postgresql/<version>/bin: two instances need one Postgres database to share.";
    return;
  }
  // Only the database and the key pair are shared. Without DATABASE_URL a process would open
  // an embedded database of its own, so no such folder may reach either process.
  delete process.env.PGLITE_DATA_DIR;
  const shared = {
    ...generateSigningKeyEnv(),
    DATABASE_URL: databaseUrl,
    TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS),
  };
  // Started together, as in a deployment. The migration lock makes one wait for the other.
  [instanceA, instanceB] = await Promise.all([
    startAppServer(PORT_A, shared),
    startAppServer(PORT_B, shared),
  ]);
});

test.afterAll(async () => {
  await Promise.all([instanceA?.stop(), instanceB?.stop()]);
  if (admin && databaseName) {
    await admin.unsafe(`drop database if exists "${databaseName}" with (force)`);
  }
  await admin?.end({ timeout: 5 });
  await cluster?.destroy();
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status === testInfo.expectedStatus) return;
  for (const [name, instance] of [
    ["A", instanceA],
    ["B", instanceB],
  ] as const) {
    if (!instance) continue;
    await testInfo.attach(`instance ${name} output`, {
      body: instance.output(),
      contentType: "text/plain",
    });
  }
});

/** Returns the id of the process that listens on 127.0.0.1:`port`, read from /proc (Linux). */
async function listeningProcessId(port: number): Promise<number> {
  const table = await readFile("/proc/net/tcp", "utf8");
  const address = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const LISTEN = "0A";
  const row = table
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .find((fields) => fields[1] === address && fields[3] === LISTEN);
  if (!row) throw new Error(`Nothing listens on 127.0.0.1:${port}.`);
  const socket = `socket:[${row[9]}]`;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const descriptors = await readdir(`/proc/${entry}/fd`).catch(() => []);
    for (const descriptor of descriptors) {
      const target = await readlink(`/proc/${entry}/fd/${descriptor}`).catch(() => "");
      if (target === socket) return Number(entry);
    }
  }
  throw new Error(`No process owns the socket listening on 127.0.0.1:${port}.`);
}

/** Returns the environment a process started with. */
async function environmentOf(processId: number): Promise<Map<string, string>> {
  const raw = await readFile(`/proc/${processId}/environ`, "utf8");
  const variables = new Map<string, string>();
  for (const entry of raw.split("\0")) {
    const separator = entry.indexOf("=");
    if (separator > 0) variables.set(entry.slice(0, separator), entry.slice(separator + 1));
  }
  return variables;
}

/** Returns the regular files a process has open, other than the app's code and build. */
async function openDataFiles(processId: number): Promise<string[]> {
  const files: string[] = [];
  for (const descriptor of await readdir(`/proc/${processId}/fd`)) {
    const target = await readlink(`/proc/${processId}/fd/${descriptor}`).catch(() => "");
    if (!target.startsWith("/") || target.startsWith("/dev/") || target.startsWith("/proc/")) {
      continue;
    }
    if (/\/(node_modules|\.next)\//.test(target)) continue;
    files.push(target);
  }
  return files.sort();
}

/** Session ids listed on the devices page, one per row, sorted. */
async function listedSessionIds(page: Page): Promise<string[]> {
  await expect(page.getByRole("heading", { name: "Your devices" })).toBeVisible();
  const ids = await page
    .getByTestId("device-group")
    .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-session-id") ?? ""));
  return ids.sort();
}

async function currentSessionId(page: Page): Promise<string | null> {
  return page
    .getByTestId("device-group")
    .filter({ has: page.getByText("This device", { exact: true }) })
    .getAttribute("data-session-id");
}

async function tokenCookie(context: BrowserContext): Promise<string | undefined> {
  const cookies = await context.cookies(instanceA!.url);
  return cookies.find((cookie) => cookie.name === TOKEN_COOKIE)?.value;
}

/** Records every token refresh a page makes, with the origin it went to and its status. */
function recordRefreshes(page: Page): { origin: string; status: number }[] {
  const refreshes: { origin: string; status: number }[] = [];
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (url.pathname !== "/api/auth/refresh" || response.request().method() !== "POST") return;
    refreshes.push({ origin: url.origin, status: response.status() });
  });
  return refreshes;
}

test("two instances share sessions through the database only", async ({ browser }) => {
  test.skip(skipReason !== undefined, skipReason);
  test.setTimeout(120_000);
  const a = instanceA!.url;
  const b = instanceB!.url;

  // Both processes read the same database and keys, neither has an embedded database, and
  // neither has a data file open that the other has open too.
  const [processA, processB] = await Promise.all([
    listeningProcessId(PORT_A),
    listeningProcessId(PORT_B),
  ]);
  expect(processA).not.toBe(processB);
  const [environmentA, environmentB] = await Promise.all([
    environmentOf(processA),
    environmentOf(processB),
  ]);
  for (const environment of [environmentA, environmentB]) {
    expect(environment.get("DATABASE_URL")).toBe(databaseUrl);
    expect(environment.has("PGLITE_DATA_DIR")).toBe(false);
  }
  expect(environmentA.get("TOKEN_PUBLIC_KEYS")).toBe(environmentB.get("TOKEN_PUBLIC_KEYS"));
  const [filesA, filesB] = await Promise.all([openDataFiles(processA), openDataFiles(processB)]);
  expect(filesA.filter((file) => filesB.includes(file))).toEqual([]);

  // The laptop signs up through A. Cookies are scoped to the host, not the port, so the
  // same cookies go to B.
  const laptop = await browser.newContext({ userAgent: USER_AGENTS.chromeOnMac });
  const page = await laptop.newPage();
  await page.goto(`${a}/sign-up`);
  await page.getByLabel("Name").fill("Ada Lovelace");
  const email = uniqueEmail("two-instances");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(`${a}/account/security`);

  // A second device signs in through B, then keeps a page open on A.
  const desktop = await browser.newContext({ userAgent: USER_AGENTS.firefoxOnWindows });
  const desktopPage = await desktop.newPage();
  await desktopPage.goto(`${b}/sign-in`);
  await desktopPage.getByLabel("Email").fill(email);
  await desktopPage.getByLabel("Password").fill(PASSWORD);
  await desktopPage.getByRole("button", { name: "Sign in" }).click();
  await expect(desktopPage).toHaveURL(`${b}/account/security`);
  await desktopPage.goto(`${a}/playground`);
  await expect(desktopPage.getByRole("heading", { name: "Access timeline" })).toBeVisible();
  const desktopRefreshes = recordRefreshes(desktopPage);

  // B accepts the token that A minted, without a handshake, and lists the same sessions.
  await page.reload();
  const listedOnA = await listedSessionIds(page);
  const currentOnA = await currentSessionId(page);
  const tokenFromA = await tokenCookie(laptop);
  await page.close();
  const pageOnB = await laptop.newPage();
  const laptopRefreshes = recordRefreshes(pageOnB);
  await pageOnB.goto(`${b}/account/security`);
  await expect(pageOnB).toHaveURL(`${b}/account/security`);
  expect(listedOnA).toHaveLength(2);
  expect(await listedSessionIds(pageOnB)).toEqual(listedOnA);
  expect(await currentSessionId(pageOnB)).toBe(currentOnA);

  // The laptop's page on B refreshes against B, and A accepts the token that B minted.
  await expect
    .poll(() => laptopRefreshes.filter((refresh) => refresh.status === 200).length, {
      timeout: LIFETIME_MS + 5_000,
    })
    .toBeGreaterThan(0);
  expect(laptopRefreshes.map((refresh) => refresh.origin)).toEqual(laptopRefreshes.map(() => b));
  const tokenFromB = await tokenCookie(laptop);
  expect(tokenFromB).toBeDefined();
  expect(tokenFromB).not.toBe(tokenFromA);
  const accessOnA = await laptop.request.get(`${a}/api/access/member`);
  expect(accessOnA.status()).toBe(200);

  // B signs the desktop out, and its page on A is signed out within one token lifetime.
  const revokedAt = Date.now();
  await deviceRow(pageOnB, "Firefox on Windows")
    .getByRole("button", { name: /^Sign out of Firefox on Windows/ })
    .click();
  await expect(pageOnB.getByTestId("device-action-feedback")).toContainText(
    "The device was signed out.",
  );
  await expect(desktopPage).toHaveURL(new RegExp(`^${a}/sign-in`), {
    timeout: LIFETIME_MS + 5_000,
  });
  expect(Date.now() - revokedAt).toBeLessThan(LIFETIME_MS + 5_000);
  expect(desktopRefreshes.length).toBeGreaterThan(0);
  expect(desktopRefreshes.every((refresh) => refresh.origin === a)).toBe(true);
  expect(desktopRefreshes.at(-1)?.status).toBe(401);

  // A lists the revocation that B wrote.
  const check = await laptop.newPage();
  await check.goto(`${a}/account/security`);
  expect(await listedSessionIds(check)).toEqual([currentOnA]);
  await expect(check.getByTestId("history-entry")).toHaveCount(1);
  await expect(check.getByTestId("history-entry")).toContainText("Firefox on Windows");

  await Promise.all([laptop.close(), desktop.close()]);
});
