// Cross-site request forgery against the running app: the refresh endpoint checks Origin and
// Sec-Fetch-Site itself, and middleware applies the same rule to server actions before
// Next.js's own origin check. A forged request must change nothing.

import { expect, test, type BrowserContext, type Page } from "@playwright/test";

import { SESSION_COOKIE, signUp, TOKEN_COOKIE, uniqueEmail, USER_AGENTS } from "./helpers";

let context: BrowserContext;
let page: Page;
let cookieHeader: string;
let signOutActionField: string;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  context = await browser.newContext({ userAgent: USER_AGENTS.chromeOnMac });
  page = await context.newPage();
  await signUp(page, uniqueEmail("csrf"));
  const jar = await context.cookies();
  cookieHeader = [SESSION_COOKIE, TOKEN_COOKIE]
    .map((name) => `${name}=${jar.find((cookie) => cookie.name === name)?.value ?? ""}`)
    .join("; ");
  // The sign-out button is a form that posts a server action. Only server-rendered HTML has
  // the hidden field that names the action, so the page is loaded afresh.
  await page.goto("/account/security");
  const field = await page
    .getByTestId("account-bar")
    .locator('input[type="hidden"][name^="$ACTION_ID_"]')
    .first()
    .getAttribute("name");
  if (!field) throw new Error("the sign-out form has no server action field");
  signOutActionField = field;
});

test.afterAll(async () => {
  await context.close();
});

async function expectStillSignedIn() {
  await page.goto("/account/security");
  await expect(page.getByRole("heading", { name: "Your devices" })).toBeVisible();
}

test("refresh rejects cross-site and missing origins", async ({ request, baseURL }) => {
  const cases: Record<string, Record<string, string>> = {
    "cross-site Sec-Fetch-Site": { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.test" },
    "same-site Sec-Fetch-Site": { "Sec-Fetch-Site": "same-site", Origin: baseURL! },
    "foreign Origin": { Origin: "https://evil.test" },
    "Origin null": { Origin: "null" },
    "no Origin and no Sec-Fetch-Site": {},
  };
  for (const [name, headers] of Object.entries(cases)) {
    const response = await request.post("/api/auth/refresh", {
      headers: { ...headers, Cookie: cookieHeader },
    });
    expect(response.status(), name).toBe(403);
    expect((await response.json()).error.code, name).toBe("cross_site_request");
    expect(response.headers()["set-cookie"], name).toBeUndefined();
  }
  const sameOrigin = await request.post("/api/auth/refresh", {
    headers: { "Sec-Fetch-Site": "same-origin", Origin: baseURL!, Cookie: cookieHeader },
  });
  expect(sameOrigin.status()).toBe(200);
});

test("server actions reject forged and null origins", async ({ request }) => {
  for (const origin of ["https://evil.test", "null"]) {
    const response = await request.post("/account/security", {
      headers: { Origin: origin, Cookie: cookieHeader },
      multipart: { [signOutActionField]: "" },
      maxRedirects: 0,
    });
    // Middleware returns 403 before Next.js's own check, which would return 500.
    expect(response.status(), origin).toBe(403);
    // The session survives: the forged sign-out did not run.
    expect(response.headers()["set-cookie"] ?? "", origin).not.toContain(`${SESSION_COOKIE}=;`);
    await expectStillSignedIn();
  }
});

test("sign-out has no GET form", async ({ request }) => {
  for (const path of ["/sign-out", "/api/auth/sign-out", "/auth/sign-out"]) {
    const response = await request.get(path, {
      headers: { Cookie: cookieHeader },
      maxRedirects: 0,
    });
    expect(response.status(), path).toBe(404);
  }
  await expectStillSignedIn();
});
