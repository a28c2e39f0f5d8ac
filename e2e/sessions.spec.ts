import { expect, test } from "@playwright/test";

import { E2E_TOKEN_TTL_SECONDS } from "../playwright.config";
import {
  countRefreshes,
  deviceRow,
  newDevice,
  PASSWORD,
  SESSION_COOKIE,
  signIn,
  signUp,
  TOKEN_COOKIE,
  uniqueEmail,
  USER_AGENTS,
} from "./helpers";

const LIFETIME_MS = E2E_TOKEN_TTL_SECONDS * 1000;

test("two devices see each other and one signs the other out", async ({ browser, baseURL }) => {
  const email = uniqueEmail("two-devices");
  const laptop = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const desktop = await newDevice(browser, USER_AGENTS.firefoxOnWindows);
  const laptopPage = await laptop.newPage();
  const desktopPage = await desktop.newPage();

  await signUp(laptopPage, email);
  await expect(
    deviceRow(laptopPage, "Chrome on macOS").getByText("This device", { exact: true }),
  ).toBeVisible();

  await signIn(desktopPage, email);
  await expect(desktopPage).toHaveURL(/\/account\/security$/);
  await expect(desktopPage.getByTestId("device-label")).toHaveText([
    "Firefox on Windows",
    "Chrome on macOS",
  ]);
  await expect(
    deviceRow(desktopPage, "Firefox on Windows").getByText("This device", { exact: true }),
  ).toBeVisible();
  await expect(
    deviceRow(desktopPage, "Chrome on macOS").getByText("This device", { exact: true }),
  ).toHaveCount(0);
  await expect(deviceRow(desktopPage, "Chrome on macOS")).toContainText("Local network");

  await laptopPage.reload();
  await expect(laptopPage.getByTestId("device-label")).toHaveText([
    "Chrome on macOS",
    "Firefox on Windows",
  ]);
  await expect(
    deviceRow(laptopPage, "Chrome on macOS").getByText("This device", { exact: true }),
  ).toBeVisible();

  const desktopSecret = (await desktop.cookies()).find((c) => c.name === SESSION_COOKIE)?.value;
  expect(desktopSecret).toBeTruthy();

  // The name starts with the visible "Sign out" and adds what distinguishes the rows.
  await laptopPage
    .getByRole("button", {
      name: /^Sign out of Firefox on Windows, Local network \(.+\), signed in /,
    })
    .click();
  await expect(laptopPage.getByRole("status")).toContainText("The device was signed out");
  const revokedAt = Date.now();
  await expect(laptopPage.getByTestId("device-label")).toHaveText(["Chrome on macOS"]);

  // The desktop's page is open and idle: its refresh loop must find out by itself, before
  // its token's lifetime is over (plus a second for the sign-in page to load).
  await expect(desktopPage).toHaveURL(/\/sign-in\?reason=session_ended/, {
    timeout: LIFETIME_MS + 1_000,
  });
  expect(Date.now() - revokedAt).toBeLessThanOrEqual(LIFETIME_MS + 1_000);
  await expect(desktopPage.getByText("Your session has ended.")).toBeVisible();

  // The stolen session cookie cannot mint another token either.
  const retry = await desktop.request.post(`${baseURL}/api/auth/refresh`, {
    headers: { Cookie: `${SESSION_COOKIE}=${desktopSecret}`, Origin: baseURL ?? "" },
  });
  expect(retry.status()).toBe(401);
  expect((await retry.json()).error.code).toBe("session_ended");

  // The laptop was not affected.
  await laptopPage.reload();
  await expect(laptopPage).toHaveURL(/\/account\/security$/);

  await laptop.close();
  await desktop.close();
});

test("signing out all other devices keeps this one", async ({ browser }) => {
  const email = uniqueEmail("all-others");
  const main = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const others = [
    await newDevice(browser, USER_AGENTS.firefoxOnWindows),
    await newDevice(browser, USER_AGENTS.firefoxOnWindows),
  ];
  const mainPage = await main.newPage();
  await signUp(mainPage, email);
  const otherPages = [];
  for (const context of others) {
    const page = await context.newPage();
    await signIn(page, email);
    await expect(page).toHaveURL(/\/account\/security$/);
    otherPages.push(page);
  }

  await mainPage.reload();
  await expect(mainPage.getByTestId("device-label")).toHaveCount(3);
  await mainPage.getByRole("button", { name: "Sign out of all other devices" }).click();
  // Both Firefox sessions share one address and user agent, so the page shows one card for them.
  await expect(mainPage.getByText("Sign out 2 sessions on 1 other device?")).toBeVisible();
  await mainPage.getByRole("button", { name: "Yes, sign them out" }).click();
  await expect(mainPage.getByRole("status")).toHaveText(
    "Signed out of 2 sessions on 1 other device.",
  );
  await expect(mainPage.getByTestId("device-label")).toHaveText(["Chrome on macOS"]);

  for (const page of otherPages) {
    await expect(page).toHaveURL(/\/sign-in\?reason=session_ended/, {
      timeout: LIFETIME_MS + 1_000,
    });
  }
  await mainPage.reload();
  await expect(mainPage).toHaveURL(/\/account\/security$/);
  for (const context of [main, ...others]) await context.close();
});

test("an iPad sending a Mac user agent is labelled iPadOS", async ({ browser }) => {
  // iPadOS Safari requests desktop pages with a Mac user agent, so only its touch points tell it apart.
  const context = await newDevice(browser, USER_AGENTS.safariOnMac);
  await context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, "maxTouchPoints", { get: () => 5 });
  });
  const page = await context.newPage();
  await signUp(page, uniqueEmail("ipad"));

  await expect(page.getByTestId("device-label")).toHaveText(["Safari on iPadOS"]);
  await expect(page.getByRole("img", { name: "Tablet" })).toBeVisible();
  await context.close();
});

test("an open page keeps its token fresh for several lifetimes", async ({ browser }) => {
  const context = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const refreshes = countRefreshes(context);
  const page = await context.newPage();
  const navigations: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) navigations.push(new URL(frame.url()).pathname);
  });

  await signUp(page, uniqueEmail("stays-open"));
  await page.waitForTimeout(4 * LIFETIME_MS);

  expect(refreshes.count).toBeGreaterThanOrEqual(3);
  expect(navigations).not.toContain("/sign-in");
  await expect(page).toHaveURL(/\/account\/security$/);

  // The token cookie is current, so a full reload needs no handshake.
  const handshakes: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/auth/handshake") handshakes.push(request.url());
  });
  await page.reload();
  await expect(page.getByRole("heading", { name: "Your devices" })).toBeVisible();
  expect(handshakes).toEqual([]);
  await context.close();
});

test("five tabs share about one refresh per lifetime", async ({ browser }) => {
  const context = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const first = await context.newPage();
  await signUp(first, uniqueEmail("five-tabs"));
  const pages = [first];
  for (let i = 0; i < 4; i += 1) {
    const page = await context.newPage();
    await page.goto("/account/security");
    await expect(page.getByRole("heading", { name: "Your devices" })).toBeVisible();
    pages.push(page);
  }

  const refreshes = countRefreshes(context);
  const lifetimes = 4;
  await first.waitForTimeout(lifetimes * LIFETIME_MS);

  // Each tab refreshing on its own would make about five refreshes per lifetime. Shared,
  // there is one per lifetime, plus at most one more where tabs' schedules straddle a boundary.
  expect(refreshes.count).toBeGreaterThanOrEqual(lifetimes - 1);
  expect(refreshes.count).toBeLessThanOrEqual(lifetimes + 2);
  for (const page of pages) await expect(page).toHaveURL(/\/account\/security$/);
  await context.close();
});

test("signing out ends the session in every tab", async ({ browser }) => {
  const context = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const page = await context.newPage();
  await signUp(page, uniqueEmail("sign-out"));
  const otherTab = await context.newPage();
  await otherTab.goto("/account/security");

  await page.getByTestId("account-bar").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in\?reason=signed_out/);
  await expect(page.getByText("You have signed out.")).toBeVisible();
  await expect(otherTab).toHaveURL(/\/sign-in/);

  const names = (await context.cookies()).map((cookie) => cookie.name);
  expect(names).not.toContain(SESSION_COOKIE);
  expect(names).not.toContain(TOKEN_COOKIE);

  await page.goto("/account/security");
  await expect(page).toHaveURL(/\/sign-in\?return_to=%2Faccount%2Fsecurity/);
  await context.close();
});

test("an expired token is renewed through the handshake", async ({ browser }) => {
  const context = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const page = await context.newPage();
  await signUp(page, uniqueEmail("handshake"));
  await context.clearCookies({ name: TOKEN_COOKIE });

  const visited: string[] = [];
  page.on("request", (request) => {
    if (request.isNavigationRequest()) visited.push(new URL(request.url()).pathname);
  });
  await page.goto("/account/security");

  await expect(page).toHaveURL(/\/account\/security$/);
  await expect(page.getByRole("heading", { name: "Your devices" })).toBeVisible();
  expect(visited).toEqual(["/account/security", "/auth/handshake", "/account/security"]);
  expect((await context.cookies()).map((cookie) => cookie.name)).toContain(TOKEN_COOKIE);
  await context.close();
});

test("sign-in returns to the page that asked for it", async ({ browser }) => {
  const email = uniqueEmail("return-to");
  const setup = await newDevice(browser, USER_AGENTS.chromeOnMac);
  await signUp(await setup.newPage(), email);
  await setup.close();

  const context = await newDevice(browser, USER_AGENTS.firefoxOnWindows);
  const page = await context.newPage();
  await page.goto("/account/security");
  await expect(page).toHaveURL(/\/sign-in\?return_to=%2Faccount%2Fsecurity$/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account\/security$/);
  await context.close();
});

test("sign-in failures share one message and keep no password", async ({ page }) => {
  const email = uniqueEmail("failures");
  await signUp(page, email);
  await page.context().clearCookies();

  await signIn(page, email, "wrong password here");
  await expect(page.locator("form").getByRole("alert")).toHaveText(
    "Email or password is incorrect.",
  );
  await expect(page.getByLabel("Password")).toHaveValue("");
  await expect(page.getByLabel("Email")).toHaveValue(email);

  await signIn(page, uniqueEmail("nobody"), PASSWORD);
  await expect(page.locator("form").getByRole("alert")).toHaveText(
    "Email or password is incorrect.",
  );

  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter an email address like name@example.com.")).toBeVisible();
  await expect(page.getByText("Enter your password.")).toBeVisible();
});

test("sign-up explains each invalid field", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill("ada@example");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page.getByText("Enter your name.")).toBeVisible();
  await expect(page.getByText("Enter an email address like name@example.com.")).toBeVisible();
  await expect(page.getByText("Use at least 10 characters for your password.")).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveValue("");
});
