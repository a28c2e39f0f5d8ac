import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

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
