// Malformed and oversized requests. Each must get a clear 4xx or a normal page, never a 5xx,
// and the app's own cookies must stay small enough for every browser (4 KB per cookie).

import { connect } from "node:net";

import { expect, test, type BrowserContext } from "@playwright/test";

import { SESSION_COOKIE, signUp, TOKEN_COOKIE, uniqueEmail, USER_AGENTS } from "./helpers";

let context: BrowserContext;
let cookies: { session: string; token: string };

/** Sends raw bytes to the server and returns the status code of its reply. */
function sendRaw(baseURL: string, request: Buffer): Promise<number> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let reply = "";
    socket.on("data", (chunk) => {
      reply += chunk.toString("latin1");
      const status = /^HTTP\/1\.1 (\d{3})/.exec(reply);
      if (status) {
        socket.destroy();
        resolve(Number(status[1]));
      }
    });
    socket.on("error", reject);
    socket.on("end", () => reject(new Error(`connection closed without a status: ${reply}`)));
    socket.write(request);
  });
}

function rawGet(path: string, headerLines: string[]): Buffer {
  return Buffer.from(
    [`GET ${path} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close", ...headerLines, "", ""].join(
      "\r\n",
    ),
    "latin1",
  );
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  context = await browser.newContext({ userAgent: USER_AGENTS.chromeOnMac });
  const page = await context.newPage();
  await signUp(page, uniqueEmail("bad-input"));
  const jar = await context.cookies();
  const value = (name: string) => jar.find((cookie) => cookie.name === name)?.value ?? "";
  cookies = { session: value(SESSION_COOKIE), token: value(TOKEN_COOKIE) };
});

test.afterAll(async () => {
  await context.close();
});

test("own cookies stay under 4 KB", async () => {
  for (const cookie of await context.cookies()) {
    expect(cookie.name.length + cookie.value.length, cookie.name).toBeLessThan(4096);
  }
  expect(cookies.token.length).toBeGreaterThan(0);
});

test("a 16 KB cookie header gets 431", async ({ request }) => {
  const response = await request.get("/account/security", {
    headers: { Cookie: `junk=${"a".repeat(16 * 1024)}` },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(431);
});

test("a 100 KB token gets 431", async ({ request }) => {
  const response = await request.get("/api/access/member", {
    headers: { Cookie: `${TOKEN_COOKIE}=${"A".repeat(100 * 1024)}` },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(431);
});

test("large foreign cookies leave the page working", async ({ request }) => {
  const response = await request.get("/account/security", {
    headers: {
      Cookie: `junk=${"a".repeat(6 * 1024)}; ${SESSION_COOKIE}=${cookies.session}; ${TOKEN_COOKIE}=${cookies.token}`,
    },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(200);
  expect(await response.text()).toContain("Your devices");
});

test("duplicate session cookies never fail", async ({ request }) => {
  for (const order of ["bogus first", "real first"]) {
    const pairs = [`${SESSION_COOKIE}=bogus`, `${SESSION_COOKIE}=${cookies.session}`];
    if (order === "real first") pairs.reverse();
    const page = await request.get("/account/security", {
      headers: { Cookie: pairs.join("; ") },
      maxRedirects: 0,
    });
    expect(page.status(), order).toBeLessThan(500);
    const refresh = await request.post("/api/auth/refresh", {
      headers: { Cookie: pairs.join("; "), Origin: new URL(page.url()).origin },
    });
    expect([200, 401], order).toContain(refresh.status());
  }
});

test("invalid UTF-8 in cookies and path never fails", async ({ baseURL }) => {
  const invalid = Buffer.from([0xff, 0xfe, 0xc3, 0x28]).toString("latin1");
  const statuses = [
    await sendRaw(baseURL!, rawGet("/account/security", [`Cookie: ${TOKEN_COOKIE}=${invalid}`])),
    await sendRaw(baseURL!, rawGet("/account/security", [`Cookie: ${SESSION_COOKIE}=${invalid}`])),
    await sendRaw(baseURL!, rawGet(`/sign-in?return_to=${invalid}`, [])),
    await sendRaw(baseURL!, rawGet("/sign-in?return_to=%ff%fe", [])),
  ];
  for (const status of statuses) {
    expect(status).toBeGreaterThanOrEqual(200);
    expect(status).toBeLessThan(500);
  }
});

test("CR or LF inside a header gets 400", async ({ baseURL }) => {
  const bareLf = Buffer.from(
    `GET /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Test: a\nInjected: b\r\nConnection: close\r\n\r\n`,
    "latin1",
  );
  const bareCr = Buffer.from(
    `GET /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Test: a\rInjected: b\r\nConnection: close\r\n\r\n`,
    "latin1",
  );
  expect(await sendRaw(baseURL!, bareLf)).toBe(400);
  expect(await sendRaw(baseURL!, bareCr)).toBe(400);
});

test("an unknown session cookie signs out cleanly", async ({ request }) => {
  const response = await request.post("/api/auth/refresh", {
    headers: {
      Cookie: `${SESSION_COOKIE}=${"x".repeat(43)}`,
      Origin: "http://127.0.0.1",
      "Sec-Fetch-Site": "same-origin",
    },
  });
  expect(response.status()).toBeLessThan(500);
  expect(response.status()).toBeGreaterThanOrEqual(400);
});
