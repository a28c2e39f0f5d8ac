import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";

import { mintSessionToken } from "@/lib/auth/token";
import { APP_ORIGIN, buildRequest, SESSION_COOKIE, TOKEN_COOKIE } from "@/test/requests";

import { config, middleware } from "./middleware";

const SUBJECT = {
  userId: "0b9a4f5e-5a43-4c53-9b43-52a4a0a6d001",
  sessionId: "0b9a4f5e-5a43-4c53-9b43-52a4a0a6d002",
  lastVerifiedAt: new Date(),
  activeOrganizationId: null,
  activeRole: null,
};

async function validToken() {
  return (await mintSessionToken(SUBJECT)).token;
}

async function expiredToken() {
  return (await mintSessionToken(SUBJECT, new Date(Date.now() - 5 * 60_000))).token;
}

// NextResponse.next() marks the response with this header; a redirect or a JSON body does not.
const isPassThrough = (response: Response) => response.headers.get("x-middleware-next") === "1";

// NextResponse.next({ request: { headers } }) passes each request header to Next.js under
// this prefix.
const forwardedRequestHeader = (response: Response, name: string) =>
  response.headers.get(`x-middleware-request-${name}`);

function nonceOf(response: Response): string | undefined {
  const policy = response.headers.get("content-security-policy") ?? "";
  return /'nonce-([^']+)'/.exec(policy)?.[1];
}

describe("middleware", () => {
  it("lets a valid token through", async () => {
    const response = await middleware(
      buildRequest("/account/security", { cookies: { [TOKEN_COOKIE]: await validToken() } }),
    );
    expect(isPassThrough(response)).toBe(true);
  });

  it("sends an expired page navigation through the handshake", async () => {
    const response = await middleware(
      buildRequest("/account/security?tab=1", {
        cookies: { [TOKEN_COOKIE]: await expiredToken(), [SESSION_COOKIE]: "secret" },
      }),
    );

    expect(response.status).toBe(307);
    const location = new URL(response.headers.get("location") ?? "", APP_ORIGIN);
    expect(location.pathname).toBe("/auth/handshake");
    expect(location.searchParams.get("return_to")).toBe("/account/security?tab=1");
  });

  it("drops the _rsc parameter from the return path", async () => {
    const response = await middleware(
      buildRequest("/account/security?_rsc=abc123", { cookies: { [SESSION_COOKIE]: "secret" } }),
    );
    const location = new URL(response.headers.get("location") ?? "", APP_ORIGIN);
    expect(location.searchParams.get("return_to")).toBe("/account/security");
  });

  it("answers an API call with 401 JSON", async () => {
    const response = await middleware(
      buildRequest("/api/anything", {
        cookies: { [TOKEN_COOKIE]: await expiredToken(), [SESSION_COOKIE]: "secret" },
      }),
    );

    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("token_missing");
  });

  it("answers a POST to a page with 401", async () => {
    const response = await middleware(
      buildRequest("/account/security", {
        method: "POST",
        cookies: { [SESSION_COOKIE]: "s" },
        headers: { origin: APP_ORIGIN },
      }),
    );
    expect(response.status).toBe(401);
  });

  it("passes an expired server action on to the action", async () => {
    const response = await middleware(
      buildRequest("/account/security", {
        method: "POST",
        cookies: { [SESSION_COOKIE]: "s" },
        headers: { "next-action": "abc", "sec-fetch-site": "same-origin" },
      }),
    );
    expect(isPassThrough(response)).toBe(true);
  });

  it("refuses a Next-Action header on an API path", async () => {
    const response = await middleware(
      buildRequest("/api/access/admin", {
        method: "POST",
        cookies: { [SESSION_COOKIE]: "s" },
        headers: { "next-action": "abc" },
      }),
    );
    expect(response.status).toBe(401);
  });

  it("refuses a server action without any session", async () => {
    const response = await middleware(
      buildRequest("/account/security", {
        method: "POST",
        headers: { "next-action": "abc", origin: APP_ORIGIN },
      }),
    );
    expect(response.status).toBe(401);
  });

  it.each([
    ["a foreign Origin", { origin: "https://evil.test" }],
    ["Origin null", { origin: "null" }],
    ["a cross-site fetch", { "sec-fetch-site": "cross-site", origin: APP_ORIGIN }],
    ["a same-site fetch", { "sec-fetch-site": "same-site", origin: APP_ORIGIN }],
    ["neither header", {}],
  ])("answers a page POST with %s with 403", async (_case, headers) => {
    for (const path of ["/account/security", "/sign-in"]) {
      const response = await middleware(
        buildRequest(path, {
          method: "POST",
          cookies: { [SESSION_COOKIE]: "s" },
          headers: { "next-action": "abc", ...headers },
        }),
      );
      expect(response.status).toBe(403);
      expect((await response.json()).error.code).toBe("cross_site_request");
    }
  });

  it("sends a visitor without cookies to sign-in", async () => {
    const response = await middleware(buildRequest("/account/security"));

    expect(response.status).toBe(307);
    const location = new URL(response.headers.get("location") ?? "", APP_ORIGIN);
    expect(location.pathname).toBe("/sign-in");
    expect(location.searchParams.get("return_to")).toBe("/account/security");
  });

  it("refuses a token signed with alg none", async () => {
    const header = Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const payload = Buffer.from(
      JSON.stringify({
        iss: "tessera",
        sub: SUBJECT.userId,
        sid: SUBJECT.sessionId,
        auth_time: now,
        iat: now,
        nbf: now,
        exp: now + 60,
      }),
    ).toString("base64url");
    const response = await middleware(
      buildRequest("/api/anything", { cookies: { [TOKEN_COOKIE]: `${header}.${payload}.` } }),
    );

    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("signed_out");
  });

  it.each([
    "/",
    "/sign-in",
    "/sign-up",
    "/api/health",
    "/auth/handshake",
    "/auth/report-sign-in",
    "/auth/sign-in-reported",
    "/.well-known/jwks.json",
  ])("lets %s through without a token", async (path) => {
    expect(isPassThrough(await middleware(buildRequest(path)))).toBe(true);
  });

  describe("security headers", () => {
    it("gives a page a policy with a nonce", async () => {
      const response = await middleware(buildRequest("/sign-in"));
      const policy = response.headers.get("content-security-policy") ?? "";

      expect(nonceOf(response)).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(policy).toContain("'strict-dynamic'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    });

    it("gives each request a new nonce", async () => {
      const first = await middleware(buildRequest("/sign-in"));
      const second = await middleware(buildRequest("/sign-in"));
      expect(nonceOf(first)).not.toBe(nonceOf(second));
    });

    it("passes the policy on to the renderer", async () => {
      const response = await middleware(
        buildRequest("/sign-in", {
          headers: { "content-security-policy": "script-src 'nonce-chosen-by-client'" },
        }),
      );

      expect(forwardedRequestHeader(response, "content-security-policy")).toBe(
        response.headers.get("content-security-policy"),
      );
    });

    it("gives a signed-in page no-store", async () => {
      const response = await middleware(
        buildRequest("/account/security", { cookies: { [TOKEN_COOKIE]: await validToken() } }),
      );

      expect(isPassThrough(response)).toBe(true);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(nonceOf(response)).toBeDefined();
    });

    it("gives the refresh endpoint no-store", async () => {
      const response = await middleware(
        buildRequest("/api/auth/refresh", { method: "POST", cookies: { [SESSION_COOKIE]: "s" } }),
      );

      expect(isPassThrough(response)).toBe(true);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("content-security-policy")).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
    });

    it("leaves a signed-out page's caching to Next.js", async () => {
      const response = await middleware(buildRequest("/sign-in"));
      expect(response.headers.has("cache-control")).toBe(false);
    });

    it("sets the headers on a redirect", async () => {
      const response = await middleware(buildRequest("/account/security"));

      expect(response.status).toBe(307);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    });

    it("sets the API policy on a 401", async () => {
      const response = await middleware(buildRequest("/api/access/member"));

      expect(response.status).toBe(401);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("content-security-policy")).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    });

    it("sends no referrer from a sign-in report link", async () => {
      const response = await middleware(buildRequest("/auth/report-sign-in?secret=abc"));
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    });

    it("sends no HSTS over plain HTTP", async () => {
      const response = await middleware(buildRequest("/sign-in"));

      expect(response.headers.has("strict-transport-security")).toBe(false);
      expect(response.headers.get("content-security-policy")).not.toContain(
        "upgrade-insecure-requests",
      );
    });

    it("ignores a forwarded HTTPS scheme without proxies", async () => {
      // TRUSTED_PROXY_HOPS is unset under Vitest.
      const response = await middleware(
        buildRequest("/sign-in", { headers: { "x-forwarded-proto": "https" } }),
      );
      expect(response.headers.has("strict-transport-security")).toBe(false);
    });

    it("sends HSTS over HTTPS", async () => {
      const response = await middleware(new NextRequest("https://tessera.example/sign-in"));

      expect(response.headers.get("strict-transport-security")).toBe(
        "max-age=63072000; includeSubDomains",
      );
      expect(response.headers.get("content-security-policy")).toContain(
        "upgrade-insecure-requests",
      );
    });
  });

  describe("matcher", () => {
    const [matcher] = config.matcher;
    const matches = (path: string) => new RegExp(`^${matcher}$`).test(path);

    it.each(["/sign-in", "/", "/api/health", "/account/security", "/.well-known/jwks.json"])(
      "runs on %s",
      (path) => {
        expect(matches(path)).toBe(true);
      },
    );

    it.each([
      "/_next/static/chunks/app.js",
      "/_next/image",
      "/favicon.ico",
      "/icon.svg",
      "/robots.txt",
    ])("skips %s", (path) => {
      expect(matches(path)).toBe(false);
    });
  });
});
