import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type Route } from "@playwright/test";

import {
  addMember,
  expectNoHorizontalOverflow,
  LAYOUT_WIDTHS,
  newDevice,
  signInOnDevices,
  signUp,
  uniqueEmail,
  USER_AGENTS,
  viewportOf,
} from "./helpers";

// The empty lists of a new account, and the fallback that a signed-in page shows while it
// reads the database.

test("a new account explains its empty lists", async ({ browser }) => {
  const email = uniqueEmail("empty");
  const laptop = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const page = await laptop.newPage();
  await signUp(page, email, "Erin Empty");

  // Devices: only this browser, so no other device can be signed out.
  await expect(page.getByTestId("device-group")).toHaveCount(1);
  await expect(page.getByTestId("only-this-device")).toContainText(
    "Only this browser is signed in to your account.",
  );
  await expect(page.getByRole("button", { name: "Sign out of all other devices" })).toHaveCount(0);

  // Members: the new workspace has only its creator, and the page explains how to add people.
  await page.goto("/organization/members");
  await expect(page.getByTestId("member-row")).toHaveCount(1);
  await expect(page.getByTestId("only-member")).toContainText(
    "You are the only member of this organization.",
  );

  // Access timeline: the server renders it before any token or check has arrived.
  const html = await (await laptop.request.get("/playground")).text();
  expect(html).toContain('data-testid="timeline-empty"');
  await page.goto("/playground");
  await page.getByRole("button", { name: "Member action" }).click();
  await expect(page.locator('[data-testid="timeline-entry"][data-lane="member"]')).toHaveCount(1);
  await expect(page.getByTestId("timeline-empty")).toHaveCount(0);

  // A second device and a second member replace both explanations with the lists.
  const others = await signInOnDevices(browser, email, [USER_AGENTS.firefoxOnWindows]);
  const colleague = await newDevice(browser, USER_AGENTS.safariOnMac);
  const colleagueEmail = uniqueEmail("empty-colleague");
  await signUp(await colleague.newPage(), colleagueEmail, "Colin Colleague");
  await addMember(page, colleagueEmail);
  await expect(page.getByTestId("member-row")).toHaveCount(2);
  await expect(page.getByTestId("only-member")).toHaveCount(0);
  await page.goto("/account/security");
  await expect(page.getByTestId("device-group")).toHaveCount(2);
  await expect(page.getByTestId("only-this-device")).toHaveCount(0);

  await Promise.all([laptop, colleague, ...others].map((context) => context.close()));
});

/**
 * Holds the members page's data request of a client navigation until `release` is called, and
 * lets prefetches through, so the page's loading fallback stays on screen until then.
 */
async function holdMembersPage(page: Page): Promise<{ release(): void }> {
  const heldRoutes: Route[] = [];
  let released = false;
  await page.route(
    (url) => url.pathname === "/organization/members" && url.searchParams.has("_rsc"),
    async (route) => {
      const headers = route.request().headers();
      const prefetch = headers["next-router-prefetch"] !== undefined;
      if (prefetch || released) return route.continue();
      heldRoutes.push(route);
    },
  );
  return {
    release() {
      released = true;
      for (const route of heldRoutes.splice(0)) void route.continue();
    },
  };
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`members page shows a loading state, ${colorScheme} at 360 px`, async ({ browser }) => {
    const context = await browser.newContext({
      colorScheme,
      viewport: viewportOf(LAYOUT_WIDTHS[0]),
      userAgent: USER_AGENTS.chromeOnMac,
    });
    const page = await context.newPage();
    // The router shows the fallback at once only when a prefetch has brought it, which the
    // link to the members page starts as soon as it is on screen.
    const prefetched = page.waitForResponse((response) => {
      const request = response.request();
      return (
        new URL(request.url()).pathname === "/organization/members" &&
        request.headers()["next-router-prefetch"] !== undefined &&
        request.headers()["next-router-segment-prefetch"] === undefined
      );
    });
    await signUp(page, uniqueEmail(`loading-${colorScheme}`));
    const members = await holdMembersPage(page);
    await prefetched;

    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Members" })
      .click();
    const status = page.getByRole("status").filter({ hasText: "Loading members…" });
    await expect(status).toBeVisible();
    await expect(status).toHaveAttribute("aria-live", "polite");
    const results = await new AxeBuilder({ page })
      .include('[data-testid="page-loading"]')
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    expect(results.violations.map((violation) => violation.id)).toEqual([]);
    await expectNoHorizontalOverflow(page);

    members.release();
    await expect(page.getByRole("heading", { name: "Members" })).toBeVisible();
    await expect(status).toHaveCount(0);
    await context.close();
  });
}
