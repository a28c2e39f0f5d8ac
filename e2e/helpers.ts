import { readFile } from "node:fs/promises";

import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

import { E2E_OUTBOX_FILE } from "../playwright.config";

export const PASSWORD = "correct horse battery staple";

export const USER_AGENTS = {
  chromeOnMac:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  safariOnMac:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  firefoxOnWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
} as const;

// Production cookie names: `next start` runs with NODE_ENV=production, so the `__Host-`
// prefix is on (Chromium accepts Secure cookies on http://127.0.0.1).
export const SESSION_COOKIE = "__Host-tessera_session";
export const TOKEN_COOKIE = "__Host-tessera_token";

let counter = 0;

export function uniqueEmail(label: string): string {
  counter += 1;
  return `${label}-${Date.now().toString(36)}-${counter}@example.test`;
}

export async function newDevice(browser: Browser, userAgent: string): Promise<BrowserContext> {
  return browser.newContext({ userAgent });
}

export async function signUp(page: Page, email: string, name = "Ada Lovelace"): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account\/security$/);
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export function deviceRow(page: Page, label: string) {
  return page
    .getByRole("listitem")
    .filter({ has: page.getByTestId("device-label").getByText(label, { exact: true }) });
}

/** Counts successful token refreshes made by any page of the context. */
export function countRefreshes(context: BrowserContext): { readonly count: number } {
  const counter = { count: 0 };
  context.on("response", (response) => {
    if (response.url().endsWith("/api/auth/refresh") && response.status() === 200) {
      counter.count += 1;
    }
  });
  return counter;
}

/** A message the default server's outbox notifier wrote, as the user would receive it. */
export interface SentNotification {
  to: string;
  subject: string;
  text: string;
  secretLinks: string[];
  sessionId: string;
}

/** Waits until the outbox contains a message to `email`, and returns the newest one. */
export async function waitForNotification(email: string): Promise<SentNotification> {
  let found: SentNotification | undefined;
  await expect
    .poll(async () => {
      const messages = await readOutbox();
      found = messages.filter((message) => message.to === email).at(-1);
      return found !== undefined;
    })
    .toBe(true);
  return found!;
}

async function readOutbox(): Promise<SentNotification[]> {
  try {
    const text = await readFile(E2E_OUTBOX_FILE, "utf8");
    return text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as SentNotification);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
