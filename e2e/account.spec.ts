import { expect, test } from "@playwright/test";

import { E2E_TOKEN_TTL_SECONDS } from "../playwright.config";
import { newDevice, PASSWORD, signIn, signUp, uniqueEmail, USER_AGENTS } from "./helpers";

const LIFETIME_MS = E2E_TOKEN_TTL_SECONDS * 1000;
const NEW_PASSWORD = "a completely new passphrase";

test("changing the password signs out the other device", async ({ browser }) => {
  const email = uniqueEmail("password-change");
  const laptop = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const desktop = await newDevice(browser, USER_AGENTS.firefoxOnWindows);
  const page = await laptop.newPage();
  const other = await desktop.newPage();
  await signUp(page, email);
  await signIn(other, email);
  await expect(other).toHaveURL(/\/account\/security$/);

  await page.goto("/account/password");
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toHaveText(
    "Password changed. 1 other device was signed out.",
  );

  await expect(other).toHaveURL(/\/sign-in/, { timeout: LIFETIME_MS + 1_000 });
  await page.goto("/account/security");
  await expect(page.getByTestId("device-label")).toHaveCount(1);
  await expect(page.getByTestId("history-entry").first()).toContainText("Password changed");

  await signIn(other, email, NEW_PASSWORD);
  await expect(other).toHaveURL(/\/account\/security$/);
  await laptop.close();
  await desktop.close();
});

test("a wrong current password changes nothing", async ({ page }) => {
  await signUp(page, uniqueEmail("password-wrong"));
  await page.goto("/account/password");
  await page.getByLabel("Current password").fill("not the password");
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();

  await expect(page.getByText("That password is incorrect.")).toBeVisible();
  await expect(page.getByLabel("Current password")).toHaveValue("");
});

test("deleting the account signs out and removes it", async ({ page }) => {
  const email = uniqueEmail("delete");
  await signUp(page, email);
  await page.goto("/account/password");
  await page.getByRole("button", { name: "Delete account" }).click();
  await page.getByRole("button", { name: "Yes, delete my account" }).click();

  await expect(page).toHaveURL(/\/\?account=deleted$/);
  await expect(page.getByText("Your account was deleted.")).toBeVisible();
  await signIn(page, email);
  await expect(page.locator("form").getByRole("alert")).toHaveText(
    "Email or password is incorrect.",
  );
});
