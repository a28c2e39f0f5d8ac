import { expect, test } from "@playwright/test";

import { E2E_TOKEN_TTL_SECONDS } from "../playwright.config";
import {
  deviceRow,
  newDevice,
  PHONE_USER_AGENTS,
  signIn,
  signInOnDevices,
  signUp,
  uniqueEmail,
  USER_AGENTS,
  waitForNotification,
} from "./helpers";

const LIFETIME_MS = E2E_TOKEN_TTL_SECONDS * 1000;

test("a new device is marked and its alert link signs it out", async ({ browser }) => {
  const email = uniqueEmail("new-device");
  const laptop = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const laptopPage = await laptop.newPage();
  await signUp(laptopPage, email);
  // The first session of an account has nothing to compare with, so it is not new.
  await expect(laptopPage.getByTestId("new-device-badge")).toHaveCount(0);

  const intruder = await newDevice(browser, USER_AGENTS.firefoxOnWindows);
  const intruderPage = await intruder.newPage();
  await signIn(intruderPage, email);
  await expect(intruderPage).toHaveURL(/\/account\/security$/);

  await laptopPage.reload();
  await expect(
    deviceRow(laptopPage, "Firefox on Windows").getByTestId("new-device-badge"),
  ).toBeVisible();
  await expect(
    deviceRow(laptopPage, "Chrome on macOS").getByTestId("new-device-badge"),
  ).toHaveCount(0);
  await expect(laptopPage.getByTestId("new-sign-in-badge")).toHaveCount(1);

  const alert = await waitForNotification(email);
  expect(alert.subject).toBe("New sign-in to your account");
  expect(alert.text).toContain("Device: Firefox on Windows");
  expect(alert.text).toContain("Location: Local network (approximate)");
  const [reportLink] = alert.secretLinks;
  expect(reportLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\/report-sign-in\?secret=/);
  expect(alert.text).toContain(reportLink);

  // The owner opens the link from their mail, in a browser that is not signed in.
  const mail = await browser.newContext();
  const mailPage = await mail.newPage();
  await mailPage.goto(reportLink!);
  await expect(mailPage.getByRole("heading", { name: "That device is signed out" })).toBeVisible();
  await expect(mailPage.getByRole("link", { name: "Change your password" })).toBeVisible();
  const reportedAt = Date.now();

  // The intruder's page loses its session within one token lifetime.
  await expect(intruderPage).toHaveURL(/\/sign-in/, { timeout: LIFETIME_MS + 10_000 });
  expect(Date.now() - reportedAt).toBeLessThan(LIFETIME_MS + 10_000);

  await laptopPage.reload();
  await expect(laptopPage.getByTestId("device-label")).toHaveText(["Chrome on macOS"]);

  // A second click reports that the session has already ended, and changes nothing else.
  await mailPage.goto(reportLink!);
  await expect(
    mailPage.getByRole("heading", { name: "That session had already ended" }),
  ).toBeVisible();
  await expect(laptopPage.getByTestId("device-label")).toHaveText(["Chrome on macOS"]);

  await Promise.all([laptop.close(), intruder.close(), mail.close()]);
});

test("a known device signing in again is not new", async ({ browser }) => {
  const email = uniqueEmail("known-device");
  const first = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const firstPage = await first.newPage();
  await signUp(firstPage, email);

  // Another browser profile of the same kind: same browser, OS and device type.
  const second = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const secondPage = await second.newPage();
  await signIn(secondPage, email);
  await expect(secondPage).toHaveURL(/\/account\/security$/);

  await expect(secondPage.getByTestId("new-device-badge")).toHaveCount(0);
  await expect(secondPage.getByTestId("new-sign-in-badge")).toHaveCount(0);
  await Promise.all([first.close(), second.close()]);
});

test("sessions of one browser form one device with a name", async ({ browser }) => {
  const email = uniqueEmail("grouped");
  const first = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const firstPage = await first.newPage();
  await signUp(firstPage, email);
  // A second profile of the same browser on the same machine: same user agent and address.
  const second = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const secondPage = await second.newPage();
  await signIn(secondPage, email);
  await expect(secondPage).toHaveURL(/\/account\/security$/);

  await firstPage.reload();
  const groups = firstPage.getByTestId("device-group");
  await expect(groups).toHaveCount(1);
  const toggle = groups.getByTestId("device-sessions-toggle");
  await expect(toggle).toHaveText("2 sessions");
  await toggle.click();
  await expect(groups.getByTestId("session-row")).toHaveCount(2);

  const current = groups
    .getByTestId("session-row")
    .filter({ has: firstPage.getByText("This device", { exact: true }) });
  await current.getByRole("button", { name: "Name this device" }).click();
  await current.getByLabel("Device name").fill("Work laptop");
  await current.getByRole("button", { name: "Save" }).click();
  await expect(firstPage.getByRole("status")).toContainText("Work laptop");

  // The name belongs to this session only, and stays after a reload.
  await firstPage.reload();
  await firstPage.getByTestId("device-sessions-toggle").click();
  await expect(firstPage.getByTestId("device-name")).toHaveText(["Work laptop"]);
  await secondPage.reload();
  await secondPage.getByTestId("device-sessions-toggle").click();
  await expect(secondPage.getByTestId("device-name")).toHaveText(["Work laptop"]);

  await Promise.all([first.close(), second.close()]);
});

test("signing out all others counts sessions and devices", async ({ browser }) => {
  const email = uniqueEmail("count-others");
  const main = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const mainPage = await main.newPage();
  await signUp(mainPage, email);
  // Two more profiles of this browser join this device's card, and a phone gets its own.
  const others = await signInOnDevices(browser, email, [
    USER_AGENTS.chromeOnMac,
    USER_AGENTS.chromeOnMac,
    PHONE_USER_AGENTS.safariOnIphone,
  ]);

  await mainPage.reload();
  const groups = mainPage.getByTestId("device-group");
  await expect(groups).toHaveCount(2);
  await expect(groups.first().getByTestId("device-sessions-toggle")).toHaveText("3 sessions");
  await mainPage.getByRole("button", { name: "Sign out of all other devices" }).click();
  await expect(mainPage.getByText("Sign out 3 other sessions on 2 devices?")).toBeVisible();
  await mainPage.getByRole("button", { name: "Yes, sign them out" }).click();
  const feedback = mainPage.getByTestId("device-action-feedback");
  await expect(feedback.getByRole("status")).toHaveText(
    "Signed out of 3 other sessions on 2 devices.",
  );
  await expect(feedback).toBeFocused();
  await expect(groups).toHaveCount(1);
  await Promise.all([main.close(), ...others.map((context) => context.close())]);
});

test("one sign-out confirmation is open at a time", async ({ browser }) => {
  const email = uniqueEmail("one-confirmation");
  const main = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const mainPage = await main.newPage();
  await signUp(mainPage, email);
  const others = await signInOnDevices(browser, email, [
    USER_AGENTS.firefoxOnWindows,
    USER_AGENTS.firefoxOnWindows,
  ]);

  await mainPage.reload();
  const group = deviceRow(mainPage, "Firefox on Windows");
  await group.getByRole("button", { name: /^Sign out of all 2 sessions/ }).click();
  await expect(group.getByText("Sign out 2 sessions on Firefox on Windows?")).toBeVisible();
  await mainPage.getByRole("button", { name: "Sign out of all other devices" }).click();
  await expect(group.getByText("Sign out 2 sessions on Firefox on Windows?")).toHaveCount(0);
  await expect(group.getByRole("button", { name: /^Sign out of all 2 sessions/ })).toBeVisible();
  // Cancel of the confirmation that opened last has focus, so Enter there changes nothing.
  await expect(mainPage.getByRole("button", { name: "Cancel" })).toHaveCount(1);
  await expect(mainPage.getByRole("button", { name: "Cancel" })).toBeFocused();
  await Promise.all([main.close(), ...others.map((context) => context.close())]);
});

test("devices page fits a 360 px phone screen", async ({ browser }) => {
  const phone = await browser.newContext({
    userAgent: USER_AGENTS.chromeOnMac,
    viewport: { width: 360, height: 740 },
  });
  const page = await phone.newPage();
  const email = uniqueEmail("phone");
  await signUp(page, email);
  const other = await newDevice(browser, USER_AGENTS.firefoxOnWindows);
  const otherPage = await other.newPage();
  await signIn(otherPage, email);
  await expect(otherPage).toHaveURL(/\/account\/security$/);
  await page.reload();
  await expect(page.getByTestId("device-group")).toHaveCount(2);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBe(0);
  await Promise.all([phone.close(), other.close()]);
});

test("an unknown browser shows what it sent", async ({ browser }) => {
  const userAgent = "ExampleBrowser/0.1 (Plan 9)";
  const context = await newDevice(browser, userAgent);
  const page = await context.newPage();
  await signUp(page, uniqueEmail("unknown-browser"));

  await expect(page.getByTestId("device-label")).toHaveText(["Unknown browser on Plan 9"]);
  await page.getByText("What did this browser send?").click();
  await expect(page.getByTestId("raw-user-agent")).toHaveText(userAgent);
  await context.close();
});
