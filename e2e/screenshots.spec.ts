import path from "node:path";

import { expect, test, type BrowserContext, type Page, type TestInfo } from "@playwright/test";

import {
  addMember,
  LAYOUT_WIDTHS,
  newDevice,
  PHONE_USER_AGENTS,
  signInOnDevices,
  signOut,
  signUp,
  uniqueEmail,
  USER_AGENTS,
  viewportOf,
} from "./helpers";

// Screenshots of the main pages for the README. With UPDATE_SCREENSHOTS=1 they replace the
// files in docs/screenshots/; otherwise they go to the test's output folder, so that a CI run
// never rewrites tracked files.

const SCREENSHOT_FOLDER = path.resolve(__dirname, "..", "docs", "screenshots");
const UPDATE = process.env.UPDATE_SCREENSHOTS === "1";

type ColorScheme = "light" | "dark";

/** Returns where the screenshot `name`-`width`.png goes in this run. */
function screenshotPath(testInfo: TestInfo, name: string, width: number): string {
  const file = `${name}-${width}.png`;
  return UPDATE ? path.join(SCREENSHOT_FOLDER, file) : testInfo.outputPath(file);
}

/**
 * Saves a full-page screenshot at each layout width in the shot's color scheme, light unless
 * set, once the shot's heading shows.
 */
async function capture(
  page: Page,
  testInfo: TestInfo,
  shot: { name: string; heading: string; colorScheme?: ColorScheme },
): Promise<void> {
  await page.emulateMedia({ colorScheme: shot.colorScheme ?? "light" });
  for (const width of LAYOUT_WIDTHS) {
    await page.setViewportSize(viewportOf(width));
    await expect(page.getByRole("heading", { level: 1, name: shot.heading })).toBeVisible();
    await page.evaluate(() => document.fonts.ready);
    // A pointer left over a button would show its hover colour.
    await page.mouse.move(0, 0);
    await page.screenshot({
      path: screenshotPath(testInfo, shot.name, width),
      fullPage: true,
      // The caret blinks and would differ between runs.
      caret: "hide",
      animations: "disabled",
    });
  }
}

let owner: BrowserContext | undefined;
let others: BrowserContext[] = [];

// One account for every page: an admin with two members, signed in on four more browsers. One
// has the owner's browser, so the two form a group, and one signs out again, so that each list
// shows several kinds of rows.
test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  const email = uniqueEmail("screenshots");
  owner = await browser.newContext({ userAgent: USER_AGENTS.chromeOnMac });
  const page = await owner.newPage();
  await signUp(page, email);

  for (const [name, userAgent] of [
    ["Grace Hopper", USER_AGENTS.firefoxOnWindows],
    ["Alan Turing", USER_AGENTS.safariOnMac],
  ] as const) {
    const member = await newDevice(browser, userAgent);
    others.push(member);
    const memberEmail = uniqueEmail("screenshots-member");
    await signUp(await member.newPage(), memberEmail, name);
    await addMember(page, memberEmail);
  }

  const devices = await signInOnDevices(browser, email, [
    USER_AGENTS.safariOnMac,
    USER_AGENTS.firefoxOnWindows,
    USER_AGENTS.chromeOnMac,
    PHONE_USER_AGENTS.safariOnIphone,
  ]);
  others.push(...devices);
  await signOut(devices[0]!.pages()[0]!);

  await page.goto("/account/security");
  const phone = page.getByTestId("device-group").filter({ hasText: "iOS" });
  await phone.getByRole("button", { name: "Name this device" }).click();
  await phone.getByLabel("Device name").fill("Ada's iPhone");
  await phone.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("device-name")).toHaveText(["Ada's iPhone"]);
  await page.close();
});

test.afterAll(async () => {
  await Promise.all([owner, ...others].map((context) => context?.close()));
  others = [];
});

test("sign-in page", async ({ browser }, testInfo) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/sign-in");
  await capture(page, testInfo, { name: "sign-in", heading: "Sign in" });
  await context.close();
});

test("devices page", async ({}, testInfo) => {
  const page = await owner!.newPage();
  await page.goto("/account/security");
  await page.getByTestId("device-sessions-toggle").click();
  await expect(page.getByTestId("session-row")).toHaveCount(2);
  await capture(page, testInfo, { name: "devices", heading: "Your devices" });
  await capture(page, testInfo, {
    name: "devices-dark",
    heading: "Your devices",
    colorScheme: "dark",
  });
  await page.close();
});

test("members page", async ({}, testInfo) => {
  const page = await owner!.newPage();
  await page.goto("/organization/members");
  await expect(page.getByTestId("member-row")).toHaveCount(3);
  await capture(page, testInfo, { name: "members", heading: "Members" });
  await page.close();
});

test("access timeline", async ({}, testInfo) => {
  const page = await owner!.newPage();
  await page.goto("/playground");
  await page.getByRole("button", { name: "Member action" }).click();
  await page.getByRole("button", { name: "Admin action" }).click();
  // The first refresh adds a token to the top lane, within one token lifetime.
  await expect(
    page.locator('[data-testid="timeline-entry"][data-lane="token"]').first(),
  ).toBeVisible();
  await page.getByRole("button", { name: "Member action" }).click();
  await capture(page, testInfo, { name: "access-timeline", heading: "Access timeline" });
  await page.close();
});
