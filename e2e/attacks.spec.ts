// Forged tokens and middleware bypass attempts against the running app. The suite runs twice:
// against the normal build, and against a build without middleware.ts, where each page and
// route handler must refuse on its own. No attack may show protected content, cause a 5xx, or
// change what the victim's devices page shows.

import { createPrivateKey, createPublicKey, sign } from "node:crypto";

import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { base64url, decodeJwt, exportJWK, generateKeyPair, importJWK, SignJWT } from "jose";

import { e2eServerKeys } from "../playwright.config";
import { signUp, TOKEN_COOKIE, uniqueEmail, USER_AGENTS } from "./helpers";

const PROTECTED_PAGES = [
  "/account/security",
  "/account/password",
  "/organization",
  "/organization/members",
  "/organization/new",
  "/playground",
];
const PROTECTED_APIS = ["/api/access/member", "/api/access/admin"];

// Request forms that have let requests skip middleware in some Next.js versions, or that a
// prefetch or client navigation uses.
const BYPASS_HEADERS: Record<string, Record<string, string>> = {
  plain: {},
  "middleware subrequest": {
    "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware",
  },
  "RSC request": { RSC: "1", "Next-Router-State-Tree": "%5B%22%22%5D" },
  prefetch: { RSC: "1", "Next-Router-Prefetch": "1", Purpose: "prefetch" },
};

interface Victim {
  email: string;
  token: string;
  claims: Record<string, unknown>;
  kid: string;
}

let victim: Victim;
let victimPage: Page;
let before: { devices: string[]; activity: number };

function serverPort(baseURL: string | undefined): number {
  return Number(new URL(baseURL ?? "http://127.0.0.1:3100").port);
}

function encodeSegment(value: object): string {
  return base64url.encode(JSON.stringify(value));
}

function unsigned(header: object, payload: object): string {
  return `${encodeSegment(header)}.${encodeSegment(payload)}.`;
}

async function signWithServerKey(
  baseURL: string | undefined,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
) {
  const signingKey = JSON.parse(e2eServerKeys(serverPort(baseURL)).TOKEN_SIGNING_KEY) as {
    kid: string;
  };
  const key = await importJWK(signingKey, "ES256");
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "ES256", kid: signingKey.kid, typ: "JWT", ...header })
    .sign(key);
}

/**
 * Signs with the server's key without jose, which refuses to sign a header it cannot honour,
 * such as `crit`. ES256 signatures in a JWS are the raw 64-byte r and s (RFC 7518, 3.4).
 */
function signRaw(baseURL: string | undefined, header: object, payload: object): string {
  const signingKey = JSON.parse(e2eServerKeys(serverPort(baseURL)).TOKEN_SIGNING_KEY) as {
    kid: string;
  };
  const protectedHeader = { alg: "ES256", kid: signingKey.kid, typ: "JWT", ...header };
  const input = `${encodeSegment(protectedHeader)}.${encodeSegment(payload)}`;
  const key = createPrivateKey({ key: signingKey as never, format: "jwk" });
  const signature = sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" });
  return `${input}.${signature.toString("base64url")}`;
}

/** Builds every forged token from the victim's real token and the server's public key. */
async function forgeTokens(baseURL: string | undefined): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  const admin = { ...victim.claims, org_role: "admin" };
  const [header, payload, signature] = victim.token.split(".") as [string, string, string];
  const attacker = await generateKeyPair("ES256", { extractable: true });
  const attackerJwk = await exportJWK(attacker.publicKey);
  const publicKeys = JSON.parse(e2eServerKeys(serverPort(baseURL)).TOKEN_PUBLIC_KEYS) as {
    keys: object[];
  };
  const publicPem = createPublicKey({ key: publicKeys.keys[0] as never, format: "jwk" }).export({
    type: "spki",
    format: "pem",
  });
  const attackerSigned = (extraHeader: Record<string, unknown>) =>
    new SignJWT(admin)
      .setProtectedHeader({ alg: "ES256", kid: victim.kid, typ: "JWT", ...extraHeader })
      .sign(attacker.privateKey);

  const tokens: Record<string, string> = {};
  for (const alg of ["none", "None", "NONE", "nOnE"]) {
    tokens[`alg ${alg}`] = unsigned({ alg, typ: "JWT", kid: victim.kid }, admin);
  }
  tokens["alg none with the real signature"] =
    `${encodeSegment({ alg: "none", kid: victim.kid })}.${payload}.${signature}`;
  tokens["HS256 keyed with the public key"] = await new SignJWT(admin)
    .setProtectedHeader({ alg: "HS256", kid: victim.kid, typ: "JWT" })
    .sign(new TextEncoder().encode(String(publicPem)));
  tokens["attacker key embedded as jwk"] = await attackerSigned({ jwk: attackerJwk });
  tokens["attacker key behind jku"] = await attackerSigned({ jku: "http://127.0.0.1:9/jwks" });
  tokens["attacker key with unknown kid"] = await new SignJWT(admin)
    .setProtectedHeader({ alg: "ES256", kid: "attacker-key", typ: "JWT" })
    .sign(attacker.privateKey);
  tokens.expired = await signWithServerKey(baseURL, {
    ...victim.claims,
    iat: now - 600,
    nbf: now - 600,
    exp: now - 60,
  });
  tokens["nbf in the future"] = await signWithServerKey(baseURL, {
    ...victim.claims,
    nbf: now + 600,
    exp: now + 900,
  });
  tokens["wrong issuer"] = await signWithServerKey(baseURL, { ...victim.claims, iss: "attacker" });
  const withoutExp: Record<string, unknown> = { ...victim.claims };
  delete withoutExp.exp;
  tokens["missing exp"] = await signWithServerKey(baseURL, withoutExp);
  tokens["crit header"] = signRaw(baseURL, { crit: ["exp"] }, victim.claims);
  // The victim is already an admin of their workspace, so the forged change is a longer life.
  const extended = { ...victim.claims, exp: Number(victim.claims.exp) + 24 * 60 * 60 };
  tokens["modified payload"] = `${header}.${encodeSegment(extended)}.${signature}`;
  tokens.truncated = victim.token.slice(0, -12);
  tokens["100 KB"] = `${header}.${"A".repeat(100 * 1024)}.${signature}`;
  return tokens;
}

async function readVictimPage(page: Page) {
  await page.goto("/account/security");
  await expect(page.getByRole("heading", { name: "Your devices" })).toBeVisible();
  return {
    devices: await page.getByTestId("device-label").allTextContents(),
    activity: await page.getByRole("list", { name: "Security activity" }).locator("> li").count(),
  };
}

async function expectNothingProtected(
  request: APIRequestContext,
  path: string,
  token: string,
  headers: Record<string, string>,
  attack = "no token",
) {
  const response = await request.get(path, {
    headers: { ...headers, Cookie: `${TOKEN_COOKIE}=${token}` },
    maxRedirects: 0,
  });
  const body = await response.text();
  const where = `${attack}: ${path} (${response.status()})`;
  expect(response.status(), where).toBeLessThan(500);
  expect(body, where).not.toContain(victim.email);
  expect(body, where).not.toContain(String(victim.claims.sid));
  // Node.js rejects headers over 16 KB (its default --max-http-header-size) with 431.
  if (!path.startsWith("/api/") || response.status() === 431) return;
  if (response.status() === 307) {
    // Next.js responds to an RSC request with a redirect to the same path plus `_rsc`, before the
    // route handler runs. The handler still rejects the request that follows.
    expect(response.headers().location, where).toContain(`${path}?_rsc`);
  } else {
    expect([401, 403], where).toContain(response.status());
  }
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ userAgent: USER_AGENTS.chromeOnMac });
  victimPage = await context.newPage();
  const email = uniqueEmail("victim");
  await signUp(victimPage, email);
  const token = (await context.cookies()).find((cookie) => cookie.name === TOKEN_COOKIE)?.value;
  if (!token) throw new Error("sign-up set no token cookie");
  const [header] = token.split(".");
  const { kid } = JSON.parse(new TextDecoder().decode(base64url.decode(header!))) as {
    kid: string;
  };
  victim = { email, token, claims: decodeJwt(token), kid };
  before = await readVictimPage(victimPage);
});

test.afterAll(async () => {
  await victimPage.context().close();
});

test("the real token reads protected content", async ({ request }) => {
  // Proves the checks below can fail: the same requests with the genuine token succeed.
  const response = await request.get("/api/access/member", {
    headers: { Cookie: `${TOKEN_COOKIE}=${victim.token}` },
  });
  expect(response.status()).toBe(200);
  expect(await response.text()).toContain(String(victim.claims.sid));
});

test("no cookie reads nothing", async ({ request }) => {
  for (const path of [...PROTECTED_PAGES, ...PROTECTED_APIS]) {
    for (const headers of Object.values(BYPASS_HEADERS)) {
      await expectNothingProtected(request, path, "", headers);
    }
  }
});

test("forged tokens read nothing", async ({ request, baseURL }) => {
  const tokens = await forgeTokens(baseURL);
  expect(Object.keys(tokens).length).toBeGreaterThanOrEqual(17);
  for (const [name, token] of Object.entries(tokens)) {
    await test.step(name, async () => {
      for (const path of [...PROTECTED_PAGES, ...PROTECTED_APIS]) {
        for (const headers of Object.values(BYPASS_HEADERS)) {
          await expectNothingProtected(request, path, token, headers, name);
        }
      }
    });
  }
});

test("forged tokens run no server action", async ({ request, baseURL }) => {
  const tokens = await forgeTokens(baseURL);
  for (const [name, token] of Object.entries(tokens)) {
    const response = await request.post("/account/security", {
      headers: {
        Cookie: `${TOKEN_COOKIE}=${token}`,
        "Next-Action": "0".repeat(42),
        Origin: baseURL ?? "",
        "Content-Type": "text/plain;charset=UTF-8",
      },
      data: "[]",
      maxRedirects: 0,
    });
    const body = await response.text();
    expect(response.status(), name).toBeLessThan(500);
    expect(body, name).not.toContain(victim.email);
  }
});

test("the victim's devices page is unchanged", async () => {
  expect(await readVictimPage(victimPage)).toEqual(before);
});
