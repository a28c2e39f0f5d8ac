import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";

import {
  addMember,
  expectNoHorizontalOverflow,
  focusIndicatorOf,
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

// Runs axe-core on every page in both color schemes at a phone and a laptop width, and checks
// that the signed-in navigation works with the keyboard. A rule broken with serious or critical
// impact fails the test, and minor or moderate findings are printed only.

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const BLOCKING_IMPACTS = new Set(["serious", "critical"]);
const COLOR_SCHEMES = ["light", "dark"] as const;

interface PageCase {
  path: string;
  heading: string;
  /** Brings the page into the state to check, such as open disclosures or shown errors. */
  prepare?: (page: Page) => Promise<void>;
}

const SIGNED_OUT_PAGES: PageCase[] = [
  { path: "/", heading: "Sessions you can see and end" },
  {
    path: "/sign-in",
    heading: "Sign in",
    // An empty form is rejected before any password check, so the field errors show without
    // counting a failed sign-in against this address.
    prepare: async (page) => {
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.locator("#email-error")).toBeVisible();
    },
  },
  {
    path: "/sign-up",
    heading: "Create an account",
    prepare: async (page) => {
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page.locator("#email-error")).toBeVisible();
    },
  },
  { path: "/auth/sign-in-reported?result=revoked", heading: "That device is signed out" },
];

const SIGNED_IN_PAGES: PageCase[] = [
  { path: "/", heading: "Sessions you can see and end" },
  {
    path: "/account/security",
    heading: "Your devices",
    prepare: async (page) => {
      await expect(page.getByTestId("history-entry")).not.toHaveCount(0);
      // Content inside a closed disclosure is hidden from axe, so the groups are opened.
      for (const toggle of await page.getByTestId("device-sessions-toggle").all()) {
        await toggle.click();
      }
      await expect(page.getByTestId("session-row").first()).toBeVisible();
      await page.getByRole("button", { name: "Name this device" }).first().click();
      await expect(page.getByLabel("Device name")).toBeVisible();
    },
  },
  { path: "/account/password", heading: "Password and account" },
  { path: "/organization", heading: "Ada Lovelace's workspace" },
  { path: "/organization/new", heading: "New organization" },
  { path: "/organization/members", heading: "Members" },
  {
    path: "/playground",
    heading: "Access timeline",
    prepare: async (page) => {
      await page.getByRole("button", { name: "Member action" }).click();
      await page.getByRole("button", { name: "Admin action" }).click();
      // Token refreshes add entries of their own, so only the lanes of the two actions count.
      for (const lane of ["member", "admin"]) {
        await expect(
          page.locator(`[data-testid="timeline-entry"][data-lane="${lane}"]`),
        ).toHaveCount(1);
      }
    },
  },
  // Signed out, middleware sends an unknown path to the sign-in page instead.
  { path: "/no-such-page", heading: "Page not found" },
];

/** Returns the serious and critical axe violations of the page, one line per element. */
async function blockingViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const lines: string[] = [];
  for (const violation of results.violations) {
    if (!BLOCKING_IMPACTS.has(violation.impact ?? "")) {
      console.log(`${page.url()}: ${violation.id} (${violation.impact}) ${violation.help}`);
      continue;
    }
    for (const node of violation.nodes) {
      const summary = (node.failureSummary ?? "").replace(/\s+/g, " ");
      lines.push(
        `${violation.id} (${violation.impact}) at ${node.target.join(" ")}: ${violation.help}. ${summary}`,
      );
    }
  }
  return lines;
}

async function checkPage(context: BrowserContext, pageCase: PageCase): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto(pageCase.path);
    await expect(
      page.getByRole("heading", { level: 1, name: pageCase.heading, exact: true }),
    ).toBeVisible();
    await pageCase.prepare?.(page);

    const violations = await blockingViolations(page);
    expect(violations, `axe violations on ${pageCase.path}:\n${violations.join("\n")}`).toEqual([]);
    await expectNoHorizontalOverflow(page);
  } finally {
    await page.close();
  }
}

/**
 * Signs up an admin of a workspace with one other member and signs the account in on three
 * more devices. One has the first device's browser, so the two form a group, and one signs out
 * again, so the history has a row.
 */
async function createPopulatedAccount(
  browser: Browser,
  options: { colorScheme: "light" | "dark"; viewport: { width: number; height: number } },
): Promise<{ context: BrowserContext; others: BrowserContext[] }> {
  const context = await browser.newContext({ ...options, userAgent: USER_AGENTS.chromeOnMac });
  const page = await context.newPage();
  const email = uniqueEmail("a11y");
  await signUp(page, email);

  const member = await newDevice(browser, USER_AGENTS.safariOnMac);
  const memberEmail = uniqueEmail("a11y-member");
  await signUp(await member.newPage(), memberEmail, "Grace Hopper");
  await addMember(page, memberEmail);

  const others = await signInOnDevices(browser, email, [
    USER_AGENTS.firefoxOnWindows,
    USER_AGENTS.chromeOnMac,
    PHONE_USER_AGENTS.safariOnIphone,
  ]);
  const phone = others.at(-1)!.pages()[0]!;
  await signOut(phone);
  await page.close();
  return { context, others: [member, ...others] };
}

for (const colorScheme of COLOR_SCHEMES) {
  for (const width of LAYOUT_WIDTHS) {
    test.describe(`${colorScheme} scheme at ${width} px`, () => {
      let signedOut: BrowserContext | undefined;
      let signedIn: BrowserContext | undefined;
      let others: BrowserContext[] = [];

      test.beforeAll(async ({ browser }) => {
        const options = { colorScheme, viewport: viewportOf(width) };
        signedOut = await browser.newContext(options);
        ({ context: signedIn, others } = await createPopulatedAccount(browser, options));
      });

      test.afterAll(async () => {
        await Promise.all([signedOut, signedIn, ...others].map((context) => context?.close()));
      });

      for (const pageCase of SIGNED_OUT_PAGES) {
        test(`${pageCase.path} signed out`, async () => {
          await checkPage(signedOut!, pageCase);
        });
      }

      for (const pageCase of SIGNED_IN_PAGES) {
        test(`${pageCase.path} signed in`, async () => {
          await checkPage(signedIn!, pageCase);
        });
      }
    });
  }
}

/** Sections of the signed-in navigation, in order, for an admin. */
const NAVIGATION = [
  { name: "Home", path: "/" },
  { name: "Devices", path: "/account/security" },
  { name: "Account", path: "/account/password" },
  { name: "Organization", path: "/organization" },
  { name: "Members", path: "/organization/members" },
  { name: "Access timeline", path: "/playground" },
] as const;

test.describe("signed-in navigation", () => {
  for (const width of LAYOUT_WIDTHS) {
    test(`links every section and marks the current one at ${width} px`, async ({ browser }) => {
      const context = await browser.newContext({ viewport: viewportOf(width) });
      const page = await context.newPage();
      await signUp(page, uniqueEmail("navigation"));
      const navigation = page.getByRole("navigation", { name: "Main" });
      // Sign-up redirects without a full page load, and the header follows the new session.
      await expect(navigation).toBeVisible();

      for (const current of NAVIGATION) {
        await page.goto(current.path);
        for (const section of NAVIGATION) {
          const link = navigation.getByRole("link", { name: section.name, exact: true });
          await expect(link).toBeInViewport();
          await expect(link).toHaveAttribute("href", section.path);
          if (section === current) {
            await expect(link).toHaveAttribute("aria-current", "page");
          } else {
            await expect(link).not.toHaveAttribute("aria-current");
          }
        }
        await expectNoHorizontalOverflow(page);
      }

      await signOut(page);
      await expect(navigation).toHaveCount(0);
      await context.close();
    });
  }

  test("works with the keyboard and shows focus", async ({ browser }) => {
    const context = await browser.newContext({ viewport: viewportOf(LAYOUT_WIDTHS[0]) });
    const page = await context.newPage();
    await signUp(page, uniqueEmail("keyboard"));
    const navigation = page.getByRole("navigation", { name: "Main" });

    // Tab from the top of the page reaches every section link in order, each with a visible
    // focus outline.
    await page.goto("/account/security");
    await expect(page.getByRole("heading", { name: "Your devices" })).toBeVisible();
    // The first stop is the skip link, which shows only while it has focus.
    await page.keyboard.press("Tab");
    const skipLink = page.getByRole("link", { name: "Skip to content" });
    await expect(skipLink).toBeFocused();
    await expect(skipLink).toBeInViewport();
    const reached: string[] = [];
    for (let presses = 0; presses < 20 && reached.length < NAVIGATION.length; presses += 1) {
      await page.keyboard.press("Tab");
      const focused = page.locator(":focus");
      const inNavigation = await navigation.locator(":focus").count();
      if (inNavigation === 0) continue;
      const name = (await focused.textContent())?.trim() ?? "";
      reached.push(name);
      const indicator = await focusIndicatorOf(page);
      expect(indicator.outlineStyle, `focus outline of "${name}"`).not.toBe("none");
      expect(indicator.outlineWidthPx, `focus outline width of "${name}"`).toBeGreaterThanOrEqual(
        2,
      );
    }
    expect(reached).toEqual(NAVIGATION.map((section) => section.name));

    // Enter on the focused link, the last one, opens its page.
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/playground$/);
    await expect(page.getByRole("heading", { name: "Access timeline" })).toBeVisible();
    await expect(
      navigation.getByRole("link", { name: "Access timeline", exact: true }),
    ).toHaveAttribute("aria-current", "page");

    // Shift+Tab moves back through the links.
    await navigation.getByRole("link", { name: "Members", exact: true }).focus();
    await page.keyboard.press("Shift+Tab");
    await expect(navigation.getByRole("link", { name: "Organization", exact: true })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/organization$/);
    await context.close();
  });
});
