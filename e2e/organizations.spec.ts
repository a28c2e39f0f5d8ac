import { expect, test, type Page } from "@playwright/test";

import { E2E_TOKEN_TTL_SECONDS } from "../playwright.config";
import { addMember, newDevice, signUp, uniqueEmail, USER_AGENTS } from "./helpers";

const LIFETIME_MS = E2E_TOKEN_TTL_SECONDS * 1000;
// A change reaches a session with its next token: within one lifetime, plus a second for
// the request that observes it.
const PROPAGATION_MS = LIFETIME_MS + 1_000;

/** Status of a stateless access check, sent from the page so it carries its cookies. */
function accessStatus(page: Page, kind: "member" | "admin"): Promise<number> {
  return page.evaluate(
    async (path) => (await fetch(path, { cache: "no-store" })).status,
    `/api/access/${kind}`,
  );
}

function memberRow(page: Page, email: string) {
  return page.locator(`[data-testid="member-row"][data-email="${email}"]`);
}

test("role changes reach a live session within one token lifetime", async ({ browser }) => {
  const adminEmail = uniqueEmail("org-admin");
  const memberEmail = uniqueEmail("org-member");
  const adminContext = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const memberContext = await newDevice(browser, USER_AGENTS.firefoxOnWindows);
  const admin = await adminContext.newPage();
  const member = await memberContext.newPage();

  await signUp(admin, adminEmail, "Ada Admin");
  await signUp(member, memberEmail, "Max Member");

  // The admin adds the member to the admin's workspace.
  await admin.goto("/organization/members");
  await admin.getByLabel("Email of an existing account").fill(memberEmail);
  await admin.getByRole("button", { name: "Add member" }).click();
  await expect(admin.getByText(`${memberEmail} is now a member.`)).toBeVisible();
  await expect(memberRow(admin, memberEmail).getByTestId("member-role")).toHaveText("member");

  // The member switches this session to the admin's workspace; the new token applies at once.
  await member.goto("/playground");
  await member
    .getByLabel("Organization", { exact: true })
    .selectOption({ label: "Ada Admin's workspace (member)" });
  await expect(member.getByTestId("current-role")).toHaveText("role member");
  expect(await accessStatus(member, "member")).toBe(200);
  expect(await accessStatus(member, "admin")).toBe(403);

  // Promotion: the member's next token carries admin, with no new sign-in.
  await memberRow(admin, memberEmail)
    .getByRole("button", { name: "Make Max Member an admin" })
    .click();
  await expect(memberRow(admin, memberEmail).getByTestId("member-role")).toHaveText("admin");
  await expect.poll(() => accessStatus(member, "admin"), { timeout: PROPAGATION_MS }).toBe(200);
  await expect(member.getByTestId("current-role")).toHaveText("role admin");
  await expect(
    member.locator('[data-testid="timeline-entry"][data-lane="token"][data-role="admin"]').first(),
  ).toBeVisible();

  // With an admin token the member opens the members page, then is demoted.
  await member.goto("/organization/members");
  await expect(member.getByRole("heading", { name: "Members" })).toBeVisible();
  await memberRow(admin, memberEmail)
    .getByRole("button", { name: "Make Max Member a member" })
    .click();
  // A demotion is confirmed first, with Cancel focused so that Enter alone changes nothing.
  await expect(memberRow(admin, memberEmail).getByRole("button", { name: "Cancel" })).toBeFocused();
  await memberRow(admin, memberEmail)
    .getByRole("button", { name: "Yes, make Max Member a member" })
    .click();
  await expect(memberRow(admin, memberEmail).getByTestId("member-role")).toHaveText("member");

  // A mutation is checked against the database, so it is refused at once, token or not.
  await memberRow(member, adminEmail)
    .getByRole("button", { name: "Make Ada Admin a member" })
    .click();
  await memberRow(member, adminEmail)
    .getByRole("button", { name: "Yes, make Ada Admin a member" })
    .click();
  await expect(
    memberRow(member, adminEmail).getByText(
      "Only admins of this organization can change its members.",
    ),
  ).toBeVisible();
  // Admin-only reads stop with the next token.
  await expect.poll(() => accessStatus(member, "admin"), { timeout: PROPAGATION_MS }).toBe(403);
  expect(await accessStatus(member, "member")).toBe(200);

  // Removal: the member's next token carries no organization.
  await memberRow(admin, memberEmail).getByRole("button", { name: "Remove Max Member" }).click();
  await memberRow(admin, memberEmail).getByRole("button", { name: "Confirm removal" }).click();
  await expect(memberRow(admin, memberEmail)).toHaveCount(0);
  await expect(admin.getByRole("status").filter({ hasText: "Member removed." })).toBeVisible();
  await expect.poll(() => accessStatus(member, "member"), { timeout: PROPAGATION_MS }).toBe(403);
  const body = await member.evaluate(async () => (await fetch("/api/access/member")).json());
  expect(body.error.code).toBe("no_organization");
  await member.goto("/organization");
  await expect(member).toHaveURL(/\/forbidden\?required=member$/);
  await expect(member.getByText("this session has none")).toBeVisible();
  await expect(member.getByRole("link", { name: "Create an organization" })).toBeVisible();
  await member.goto("/playground");
  await expect(member.getByTestId("no-organization-hint")).toContainText(
    "Choose one in the Organization menu",
  );

  // The admin is unaffected throughout.
  expect(await accessStatus(admin, "admin")).toBe(200);
  await adminContext.close();
  await memberContext.close();
});

test("member changes by keyboard keep focus", async ({ browser }) => {
  const adminEmail = uniqueEmail("keys-admin");
  const ableEmail = uniqueEmail("keys-able");
  const zedEmail = uniqueEmail("keys-zed");
  const adminContext = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const admin = await adminContext.newPage();
  const ableContext = await newDevice(browser, USER_AGENTS.firefoxOnWindows);
  const zedContext = await newDevice(browser, USER_AGENTS.firefoxOnWindows);
  await signUp(await ableContext.newPage(), ableEmail, "Abe Able");
  await signUp(await zedContext.newPage(), zedEmail, "Zoe Zed");
  await signUp(admin, adminEmail, "Kay Keys");
  await addMember(admin, ableEmail);
  await addMember(admin, zedEmail);
  const rows = admin.getByTestId("member-row");
  await expect(rows.getByTestId("member-role")).toHaveText(["admin", "member", "member"]);

  // Promotion moves Abe's row above Kay's. Focus follows the outcome in that row.
  const able = memberRow(admin, ableEmail);
  await able.getByRole("button", { name: "Make Abe Able an admin" }).focus();
  await admin.keyboard.press("Enter");
  await expect(rows.first()).toHaveAttribute("data-email", ableEmail);
  await expect(able.getByRole("status")).toHaveText("Role changed to admin.");
  await expect(able.getByRole("status").locator("..")).toBeFocused();

  // Demotion moves it back, after a confirmation made with the keyboard.
  await able.getByRole("button", { name: "Make Abe Able a member" }).focus();
  await admin.keyboard.press("Enter");
  await expect(able.getByRole("button", { name: "Cancel" })).toBeFocused();
  await admin.keyboard.press("Shift+Tab");
  await expect(able.getByRole("button", { name: "Yes, make Abe Able a member" })).toBeFocused();
  await admin.keyboard.press("Enter");
  await expect(rows.nth(1)).toHaveAttribute("data-email", ableEmail);
  await expect(able.getByRole("status")).toHaveText("Role changed to member.");
  await expect(able.getByRole("status").locator("..")).toBeFocused();

  // Opening a second confirmation closes the first one.
  await able.getByRole("button", { name: "Make Abe Able an admin" }).click();
  await expect(able.getByRole("button", { name: "Make Abe Able a member" })).toBeVisible();
  await able.getByRole("button", { name: "Make Abe Able a member" }).click();
  const zed = memberRow(admin, zedEmail);
  await zed.getByRole("button", { name: "Remove Zoe Zed" }).click();
  await expect(able.getByText("Make Abe Able a member?")).toHaveCount(0);
  await expect(able.getByRole("button", { name: "Make Abe Able a member" })).toBeVisible();
  await expect(admin.getByRole("button", { name: "Cancel" })).toHaveCount(1);
  await expect(zed.getByRole("button", { name: "Cancel" })).toBeFocused();

  // The removed row is gone, so focus goes to the outcome above the list.
  await admin.keyboard.press("Shift+Tab");
  await expect(zed.getByRole("button", { name: "Confirm removal" })).toBeFocused();
  await admin.keyboard.press("Enter");
  await expect(zed).toHaveCount(0);
  const feedback = admin.getByTestId("member-action-feedback");
  await expect(feedback.getByRole("status")).toHaveText("Member removed.");
  await expect(feedback).toBeFocused();
  await Promise.all([adminContext.close(), ableContext.close(), zedContext.close()]);
});

test("a new organization becomes the active one", async ({ page }) => {
  await signUp(page, uniqueEmail("creator"), "Cora Creator");
  await page.goto("/organization/new");
  await page.getByLabel("Organization name").fill("Cora's Lab");
  await page.getByRole("button", { name: "Create and switch to it" }).click();

  await expect(page.getByRole("heading", { name: "Cora's Lab" })).toBeVisible();
  await expect(page.getByTestId("organization-role")).toHaveText("admin");
  await expect(
    page.getByLabel("Organization", { exact: true }).locator("option:checked"),
  ).toHaveText("Cora's Lab (admin)");
});

test("the last admin cannot be demoted or removed", async ({ page }) => {
  const email = uniqueEmail("last-admin");
  await signUp(page, email, "Solo Admin");
  await page.goto("/organization/members");

  await memberRow(page, email).getByRole("button", { name: "Make Solo Admin a member" }).click();
  await expect(memberRow(page, email).getByText("Make yourself a member?")).toBeVisible();
  await memberRow(page, email).getByRole("button", { name: "Yes, make me a member" }).click();
  await expect(
    memberRow(page, email).getByText("An organization needs at least one admin."),
  ).toBeVisible();
  // Escape closes a confirmation and gives focus back to the button that opened it.
  const remove = memberRow(page, email).getByRole("button", { name: "Remove Solo Admin" });
  await remove.click();
  await page.keyboard.press("Escape");
  await expect(remove).toBeFocused();
  await remove.click();
  await memberRow(page, email).getByRole("button", { name: "Confirm removal" }).click();
  // The role change reports in the row, the removal above the list.
  await expect(page.getByText("Make someone else an admin first.")).toHaveCount(2);
  await expect(memberRow(page, email).getByTestId("member-role")).toHaveText("admin");
});

test("members cannot open the members page", async ({ browser }) => {
  const adminEmail = uniqueEmail("gate-admin");
  const memberEmail = uniqueEmail("gate-member");
  const adminContext = await newDevice(browser, USER_AGENTS.chromeOnMac);
  const memberContext = await newDevice(browser, USER_AGENTS.firefoxOnWindows);
  const admin = await adminContext.newPage();
  const member = await memberContext.newPage();
  await signUp(admin, adminEmail, "Gate Admin");
  await signUp(member, memberEmail, "Gate Member");
  await admin.goto("/organization/members");
  await admin.getByLabel("Email of an existing account").fill(memberEmail);
  await admin.getByRole("button", { name: "Add member" }).click();
  await expect(memberRow(admin, memberEmail)).toBeVisible();

  await member.goto("/organization");
  await member
    .getByLabel("Organization", { exact: true })
    .selectOption({ label: "Gate Admin's workspace (member)" });
  await expect(member.getByTestId("organization-role")).toHaveText("member");
  await expect(member.getByRole("link", { name: "Members" })).toHaveCount(0);
  await member.goto("/organization/members");
  await expect(member).toHaveURL(/\/forbidden\?required=admin$/);
  await expect(member.getByText("your role there is member")).toBeVisible();
  await adminContext.close();
  await memberContext.close();
});
