import { readFile } from "node:fs/promises";

import {
  expect,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from "@playwright/test";

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

/**
 * Phone user agents, for device rows with a phone icon. No Android one: desktop Chromium sends
 * client hints that say "not mobile", and the app reads Android with those as a tablet.
 */
export const PHONE_USER_AGENTS = {
  safariOnIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
} as const;

/** Viewport widths, in CSS pixels, that every page must fit: a small phone and a laptop. */
export const LAYOUT_WIDTHS = [360, 1280] as const;

/** Returns a viewport `width` CSS pixels wide, as tall as a typical screen of that width. */
export function viewportOf(width: number): { width: number; height: number } {
  return { width, height: width < 768 ? 780 : 900 };
}

/**
 * Signs the account `email` in on one more browser per user agent, each a context of its
 * own created with `options`, and returns the contexts, which the caller closes.
 */
export async function signInOnDevices(
  browser: Browser,
  email: string,
  userAgents: readonly string[],
  options: BrowserContextOptions = {},
): Promise<BrowserContext[]> {
  const contexts: BrowserContext[] = [];
  for (const userAgent of userAgents) {
    const context = await browser.newContext({ ...options, userAgent });
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, email);
    await expect(page).toHaveURL(/\/account\/security$/);
  }
  return contexts;
}

/** Signs the browser of `page` out with the account bar's button and waits for the sign-in page. */
export async function signOut(page: Page): Promise<void> {
  await page.getByTestId("account-bar").getByRole("button", { name: "Sign out" }).click();
  // NOTE: a token refresh that starts while the sign-out runs gets 401, and the refresh loop
  // then opens the sign-in page with reason=session_ended instead of signed_out.
  await expect(page).toHaveURL(/\/sign-in\?reason=(signed_out|session_ended)/);
}

/** Adds the existing account `email` to the active organization on its members page. */
export async function addMember(page: Page, email: string): Promise<void> {
  await page.goto("/organization/members");
  await page.getByLabel("Email of an existing account").fill(email);
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByText(`${email} is now a member.`)).toBeVisible();
}

/**
 * Asserts that the page does not scroll sideways. On failure the message names up to five
 * elements that reach past the viewport's right edge.
 */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const layout = await page.evaluate(() => {
    const root = document.documentElement;
    const describe = (element: Element) => {
      const id = element.id ? `#${element.id}` : "";
      const testId = element.getAttribute("data-testid");
      const text = (element.textContent ?? "").trim().slice(0, 40);
      return `<${element.tagName.toLowerCase()}${id}${testId ? ` data-testid=${testId}` : ""}> "${text}"`;
    };
    const overflowing = [...document.body.querySelectorAll("*")]
      .filter((element) => element.getBoundingClientRect().right > root.clientWidth + 0.5)
      .slice(0, 5)
      .map(describe);
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, overflowing };
  });
  expect(
    layout.scrollWidth,
    `${page.url()} is wider than its ${layout.clientWidth} px viewport. Past the right edge: ${layout.overflowing.join(", ") || "none found"}`,
  ).toBeLessThanOrEqual(layout.clientWidth);
}

/** Computed focus outline and shadow of the focused element, to tell whether focus is visible. */
export interface FocusIndicator {
  outlineStyle: string;
  outlineWidthPx: number;
  boxShadow: string;
}

/** Returns how the element that has keyboard focus draws its focus indicator. */
export async function focusIndicatorOf(page: Page): Promise<FocusIndicator> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) {
      return { outlineStyle: "none", outlineWidthPx: 0, boxShadow: "none" };
    }
    const style = getComputedStyle(element);
    return {
      outlineStyle: style.outlineStyle,
      outlineWidthPx: Number.parseFloat(style.outlineWidth),
      boxShadow: style.boxShadow,
    };
  });
}
