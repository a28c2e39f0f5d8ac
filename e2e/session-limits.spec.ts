import { expect, test, type Page } from "@playwright/test";

import { E2E_SHORT_LIMITS, E2E_TOKEN_TTL_SECONDS } from "../playwright.config";
import { newDevice, PASSWORD, signIn, signUp, uniqueEmail, USER_AGENTS } from "./helpers";

// Runs against the second server, whose idle limit is 12 s, absolute limit 35 s and
// step-up window 8 s. The token lifetime is 5 s, so each limit is noticed within one
// lifetime of passing it.
const SECOND_MS = 1000;
const IDLE_MS = E2E_SHORT_LIMITS.idleTimeoutSeconds * SECOND_MS;
const ABSOLUTE_MS = E2E_SHORT_LIMITS.absoluteTimeoutSeconds * SECOND_MS;
const LIFETIME_MS = E2E_TOKEN_TTL_SECONDS * SECOND_MS;

/** Presses a harmless key every `intervalMs` until `durationMs` has passed. */
async function keepTyping(page: Page, durationMs: number, intervalMs = 2_000) {
  const end = Date.now() + durationMs;
  while (Date.now() < end) {
    await page.keyboard.press("Shift");
    await page.waitForTimeout(intervalMs);
  }
}

test("an untouched tab is warned, then signed out", async ({ page }) => {
  await signUp(page, uniqueEmail("idle"));
  const dialog = page.getByRole("alertdialog", { name: "Are you still there?" });

  await expect(dialog).toBeVisible({ timeout: IDLE_MS + LIFETIME_MS });
  await expect(dialog).toContainText("because of inactivity");
  await expect(page).toHaveURL(/\/sign-in\?reason=idle_timeout/, { timeout: IDLE_MS });
  await expect(page.getByText("You were signed out after a period of inactivity.")).toBeVisible();
});

test("stay signed in counts as activity", async ({ page }) => {
  await signUp(page, uniqueEmail("stay"));
  const dialog = page.getByRole("alertdialog", { name: "Are you still there?" });
  await expect(dialog).toBeVisible({ timeout: IDLE_MS + LIFETIME_MS });

  await dialog.getByRole("button", { name: "Stay signed in" }).click();
  await expect(dialog).toBeHidden();
  // Past the deadline the warning announced, the session is still there.
  await page.waitForTimeout(6 * SECOND_MS);
  await expect(page).toHaveURL(/\/account\/security$/);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Your devices" })).toBeVisible();
});

test("an active tab lasts until the absolute limit", async ({ page }) => {
  const startedAt = Date.now();
  await signUp(page, uniqueEmail("absolute"));

  // Typing keeps the idle limit away, well past its 12 s, until the absolute limit ends
  // the session anyway.
  const deadline = startedAt + ABSOLUTE_MS + 2 * LIFETIME_MS;
  while (page.url().includes("/account/") && Date.now() < deadline) {
    await page.keyboard.press("Shift");
    await page.waitForTimeout(1_000);
  }
  await page.waitForURL(/\/sign-in\?reason=absolute_timeout/);
  expect(Date.now() - startedAt).toBeGreaterThan(2 * IDLE_MS);
  await expect(page.getByText("Your session reached its maximum length.")).toBeVisible();
});

test("signing out all others asks for the password", async ({ browser }) => {
  const email = uniqueEmail("step-up");
  const laptop = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const desktop = await newDevice(browser, USER_AGENTS.firefoxOnWindows);
  const page = await laptop.newPage();
  const desktopPage = await desktop.newPage();
  await signUp(page, email);
  await signIn(desktopPage, email);

  // Let the password check age past the step-up window while both users stay active.
  const waitMs = (E2E_SHORT_LIMITS.stepUpMaxAgeSeconds + 1) * SECOND_MS;
  await Promise.all([keepTyping(page, waitMs, 1_500), keepTyping(desktopPage, waitMs, 1_500)]);
  await page.reload();
  await page.getByRole("button", { name: "Sign out of all other devices" }).click();
  await page.getByRole("button", { name: "Yes, sign them out" }).click();

  const prompt = page.getByText("confirm your password");
  await expect(prompt).toBeVisible();
  await page.getByLabel("Password").fill("not my password");
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByText("That password is incorrect.")).toBeVisible();

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("status")).toHaveText("Signed out of 1 other device.");
  await expect(page.getByTestId("device-label")).toHaveCount(1);
  await laptop.close();
  await desktop.close();
});
