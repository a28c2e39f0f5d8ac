import { expect, test, type BrowserContext, type Page } from "@playwright/test";

import { PASSWORD, SESSION_COOKIE, TOKEN_COOKIE, uniqueEmail } from "./helpers";
import {
  findFreePort,
  findPostgresBinaries,
  startAppServer,
  startThrowawayPostgres,
  type AppServer,
  type ThrowawayPostgres,
} from "./throwaway-servers";

// Stops the database under a signed-in browser and starts it again. The spec runs its own
// PostgreSQL cluster and its own `next start` (after `next build`), so it ignores the
// configured baseURL and uses full URLs to its server.

/** Long enough for the checks that must finish while the token is still valid. */
const TOKEN_TTL_SECONDS = 10;
const APP_PORTS = [3500, 3599] as const;
const POSTGRES_PORTS = [55400, 55499] as const;

const postgresBin = findPostgresBinaries();
test.skip(
  postgresBin === undefined,
  "No initdb and pg_ctl under /usr/lib/postgresql/<version>/bin: the outage test needs a PostgreSQL server installation to start a cluster it can stop.",
);

let cluster: ThrowawayPostgres | undefined;
let app: AppServer | undefined;

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(180_000);
  cluster = await startThrowawayPostgres(postgresBin ?? "", await findFreePort(...POSTGRES_PORTS));
  app = await startAppServer(await findFreePort(...APP_PORTS), {
    DATABASE_URL: cluster.url,
    TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS),
  });
});

test.afterAll(async () => {
  await app?.stop();
  await cluster?.destroy();
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus && app) {
    await testInfo.attach("server output", { body: app.output(), contentType: "text/plain" });
  }
});

function serverUrl(path: string): string {
  if (!app) throw new Error("The app server is used before beforeAll started it.");
  return `${app.url}${path}`;
}

async function signUp(page: Page, email: string): Promise<void> {
  await page.goto(serverUrl("/sign-up"));
  await page.getByLabel("Name").fill("Ada Lovelace");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(serverUrl("/account/security"));
}

/** Milliseconds since the epoch at which the browser drops the token cookie. */
async function tokenExpiresAt(context: BrowserContext): Promise<number> {
  const cookies = await context.cookies(serverUrl("/"));
  const token = cookies.find((cookie) => cookie.name === TOKEN_COOKIE);
  if (!token) throw new Error(`The browser has no ${TOKEN_COOKIE} cookie.`);
  return token.expires * 1000;
}

async function hasSessionCookie(context: BrowserContext): Promise<boolean> {
  const cookies = await context.cookies(serverUrl("/"));
  return cookies.some((cookie) => cookie.name === SESSION_COOKIE && cookie.value !== "");
}

test("session survives a database outage", async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  const visited: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) visited.push(frame.url());
  });
  const refreshes: { status: number; retryAfter: string | null; cacheControl: string | null }[] =
    [];
  page.on("response", (response) => {
    if (!response.url().endsWith("/api/auth/refresh")) return;
    const headers = response.headers();
    refreshes.push({
      status: response.status(),
      retryAfter: headers["retry-after"] ?? null,
      cacheControl: headers["cache-control"] ?? null,
    });
  });
  const reconnecting = page.getByRole("status").filter({ hasText: "Reconnecting…" });

  await signUp(page, uniqueEmail("outage"));
  await expect(page.getByRole("heading", { name: "Your devices" })).toBeVisible();
  const expiresAt = await tokenExpiresAt(context);

  await cluster?.stop();

  // While the token lives, the page and routes that only verify the token keep working.
  await expect(page.getByRole("heading", { name: "Your devices" })).toBeVisible();
  await page.getByRole("link", { name: "Access timeline" }).click();
  await expect(page).toHaveURL(serverUrl("/playground"));
  await expect(page.getByRole("heading", { name: "Access timeline" })).toBeVisible();
  const memberCheck = await page.evaluate(async () => (await fetch("/api/access/member")).status);
  expect(memberCheck).toBe(200);
  expect(Date.now(), "the checks above ran after the token expired").toBeLessThan(expiresAt);

  // After the token expires the refreshes fail with 503, and the page shows that it is
  // reconnecting.
  await page.waitForTimeout(Math.max(0, expiresAt - Date.now()) + 1_000);
  await expect(reconnecting).toBeVisible();
  await expect(page).toHaveURL(serverUrl("/playground"));
  await expect(page.getByRole("heading", { name: "Access timeline" })).toBeVisible();
  expect(refreshes.length).toBeGreaterThan(0);
  expect(refreshes.filter((refresh) => refresh.status !== 503)).toEqual([]);
  expect(refreshes[0]).toEqual({ status: 503, retryAfter: "5", cacheControl: "no-store" });
  expect(await hasSessionCookie(context)).toBe(true);

  // A page requested by navigation goes through the handshake, which waits instead of
  // signing out.
  const second = await context.newPage();
  const handshake = await second.goto(serverUrl("/account/security"));
  expect(handshake?.status()).toBe(503);
  expect(new URL(second.url()).pathname).toBe("/auth/handshake");
  await expect(second.getByRole("heading", { name: "Reconnecting…" })).toBeVisible();
  expect(await hasSessionCookie(context)).toBe(true);

  await cluster?.start();

  // Both pages recover on their own: the first at its next retry, the second at its reload.
  await expect(reconnecting).toBeHidden({ timeout: 45_000 });
  await expect(second).toHaveURL(serverUrl("/account/security"), { timeout: 15_000 });
  await expect(second.getByRole("heading", { name: "Your devices" })).toBeVisible();
  expect(refreshes.at(-1)?.status).toBe(200);

  await page.reload();
  await expect(page.getByRole("heading", { name: "Access timeline" })).toBeVisible();
  await page.goto(serverUrl("/account/security"));
  await expect(page).toHaveURL(serverUrl("/account/security"));
  await expect(page.getByRole("heading", { name: "Your devices" })).toBeVisible();
  expect(visited.filter((url) => new URL(url).pathname === "/sign-in")).toEqual([]);

  await context.close();
});
