import { expect, test, type APIResponse, type Page } from "@playwright/test";

import { E2E_TOKEN_TTL_SECONDS } from "../playwright.config";
import { countRefreshes, signUp, uniqueEmail } from "./helpers";

// The nonce source as Next.js 16.5 reads it from the Content-Security-Policy header.
const NONCE_SOURCE = /'nonce-([A-Za-z0-9+/_-]+={0,2})'/;

function nonceOf(response: APIResponse): string {
  const policy = response.headers()["content-security-policy"] ?? "";
  const nonce = NONCE_SOURCE.exec(policy)?.[1];
  expect(nonce, `no nonce in the policy "${policy}"`).toBeDefined();
  return nonce!;
}

function scriptTagsOf(html: string): string[] {
  return html.match(/<script\b[^>]*>/g) ?? [];
}

/**
 * Collects every Content-Security-Policy violation of the page as text. Chromium logs blocked
 * scripts to the console itself but stays silent about an eval that the page catches, so a
 * `securitypolicyviolation` listener logs those too.
 */
async function collectPolicyViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(
        `Content Security Policy violation: ${event.violatedDirective} blocked ` +
          `${event.blockedURI || "inline code"} in ${event.sourceFile || "the page"}`,
      );
    });
  });
  return violations;
}

test("sign-in page sends security headers", async ({ request }) => {
  const response = await request.get("/sign-in");
  expect(response.status()).toBe(200);
  const headers = response.headers();
  const policy = headers["content-security-policy"] ?? "";

  expect(policy).toMatch(NONCE_SOURCE);
  expect(policy).toContain("'strict-dynamic'");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).not.toContain("'unsafe-eval'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["cross-origin-opener-policy"]).toBe("same-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
});

test("plain HTTP gets no HSTS", async ({ request }) => {
  // The test server has no trusted proxy, so a client's X-Forwarded-Proto must not count.
  const response = await request.get("/sign-in", { headers: { "X-Forwarded-Proto": "https" } });
  const headers = response.headers();

  expect(headers["strict-transport-security"]).toBeUndefined();
  expect(headers["content-security-policy"]).not.toContain("upgrade-insecure-requests");
});

test("page scripts carry the policy nonce", async ({ request }) => {
  const response = await request.get("/sign-in");
  const nonce = nonceOf(response);
  const scripts = scriptTagsOf(await response.text());

  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(` nonce="${nonce}"`);
});

test("each response gets a new nonce", async ({ request }) => {
  const first = nonceOf(await request.get("/sign-in"));
  const second = nonceOf(await request.get("/sign-in"));
  expect(first).not.toBe(second);
});

test("JSON routes get the API policy", async ({ request }) => {
  const response = await request.get("/api/health");
  const headers = response.headers();

  expect(headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
});

test("static files get the fixed headers", async ({ request }) => {
  const html = await (await request.get("/sign-in")).text();
  const script = /<script\b[^>]*\bsrc="([^"]+)"/.exec(html)?.[1];
  expect(script).toBeDefined();
  const response = await request.get(script!);
  expect(response.status()).toBe(200);

  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
});

test("sign-in report link sends no referrer", async ({ request }) => {
  const response = await request.get("/auth/report-sign-in?secret=not-a-real-secret", {
    maxRedirects: 0,
  });

  expect(response.status()).toBe(307);
  expect(response.headers()["referrer-policy"]).toBe("no-referrer");
});

test("signed-in responses are not stored", async ({ page, baseURL }) => {
  await signUp(page, uniqueEmail("no-store"));

  const account = await page.request.get("/account/security");
  expect(account.status()).toBe(200);
  expect(account.headers()["cache-control"]).toContain("no-store");
  const nonce = nonceOf(account);
  const scripts = scriptTagsOf(await account.text());
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(` nonce="${nonce}"`);

  const refresh = await page.request.post("/api/auth/refresh", {
    headers: { Origin: baseURL ?? "" },
  });
  expect(refresh.status()).toBe(200);
  expect(refresh.headers()["cache-control"]).toContain("no-store");
});

test("not-found page scripts carry the nonce", async ({ page }) => {
  // A signed-out visitor is sent to sign-in, so the 404 page needs a session.
  await signUp(page, uniqueEmail("not-found"));

  const response = await page.request.get("/no-such-page");
  expect(response.status()).toBe(404);
  const nonce = nonceOf(response);
  const scripts = scriptTagsOf(await response.text());

  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(` nonce="${nonce}"`);
});

test("sign-up runs without policy violations", async ({ page, context }) => {
  const violations = await collectPolicyViolations(page);
  const refreshes = countRefreshes(context);

  await page.goto("/sign-in");
  await signUp(page, uniqueEmail("csp"));
  // The client refresh loop is a script of the signed-in layout: a refresh proves it runs.
  await expect
    .poll(() => refreshes.count, { timeout: (E2E_TOKEN_TTL_SECONDS + 5) * 1000 })
    .toBeGreaterThan(0);
  await page.goto("/no-such-page");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();

  expect(violations).toEqual([]);
});
