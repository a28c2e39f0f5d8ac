import type { NextConfig } from "next";
import { describe, expect, it } from "vitest";

import {
  API_CONTENT_SECURITY_POLICY,
  buildPageContentSecurityPolicy,
  generateNonce,
  isHttpsRequest,
  parseTrustedProxyHops,
  planResponseSecurity,
  setSecurityHeaders,
  STATIC_SECURITY_HEADERS,
  withContentSecurityPolicy,
  type SecurityRequest,
} from "./security-headers";

// The pattern Next.js 16.5 uses to find the nonce in a Content-Security-Policy header
// (server/app-render/get-script-nonce-from-header.js). A nonce it cannot read is dropped.
const NEXT_NONCE_SOURCE = /^'nonce-([A-Za-z0-9+/_-]+={0,2})'$/;

const PAGE_REQUEST: SecurityRequest = {
  pathname: "/sign-in",
  method: "GET",
  https: false,
  development: false,
  hasAuthCookie: false,
};

function headersOf(entries: Record<string, string>) {
  return new Headers(entries);
}

describe("generateNonce", () => {
  it("returns 16 random bytes in base64", () => {
    const nonce = generateNonce();

    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(atob(nonce)).toHaveLength(16);
    expect(`'nonce-${nonce}'`).toMatch(NEXT_NONCE_SOURCE);
  });

  it("differs between calls", () => {
    const nonces = new Set(Array.from({ length: 50 }, () => generateNonce()));
    expect(nonces.size).toBe(50);
  });
});

describe("buildPageContentSecurityPolicy", () => {
  it("lists every directive in production", () => {
    const policy = buildPageContentSecurityPolicy({
      nonce: "abc123==",
      https: false,
      development: false,
    });

    expect(policy).toBe(
      "default-src 'self'; " +
        "script-src 'self' 'nonce-abc123==' 'strict-dynamic'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self'; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'none'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'",
    );
  });

  it("upgrades insecure requests over HTTPS", () => {
    const policy = buildPageContentSecurityPolicy({
      nonce: "abc123==",
      https: true,
      development: false,
    });
    expect(policy.endsWith("; upgrade-insecure-requests")).toBe(true);
  });

  it("allows eval in development only", () => {
    const development = buildPageContentSecurityPolicy({
      nonce: "abc123==",
      https: false,
      development: true,
    });

    expect(development).toContain(
      "script-src 'self' 'nonce-abc123==' 'strict-dynamic' 'unsafe-eval';",
    );
    expect(development).not.toContain("upgrade-insecure-requests");
  });

  it("keeps inline scripts out", () => {
    for (const development of [false, true]) {
      const policy = buildPageContentSecurityPolicy({ nonce: "n", https: true, development });
      const scriptSources = policy
        .split("; ")
        .find((directive) => directive.startsWith("script-src"));
      expect(scriptSources).not.toContain("'unsafe-inline'");
    }
  });
});

describe("parseTrustedProxyHops", () => {
  it("defaults to no proxies", () => {
    expect(parseTrustedProxyHops(undefined)).toBe(0);
    expect(parseTrustedProxyHops("")).toBe(0);
    expect(parseTrustedProxyHops(" ")).toBe(0);
  });

  it("reads a hop count", () => {
    expect(parseTrustedProxyHops("0")).toBe(0);
    expect(parseTrustedProxyHops("2")).toBe(2);
    expect(parseTrustedProxyHops("10")).toBe(10);
  });

  it.each(["11", "-1", "1.5", "two", "1e1"])("rejects %s", (raw) => {
    expect(() => parseTrustedProxyHops(raw)).toThrow(
      `TRUSTED_PROXY_HOPS must be a whole number from 0 to 10, got "${raw}".`,
    );
  });
});

describe("isHttpsRequest", () => {
  const httpUrl = { protocol: "http:" };
  const httpsUrl = { protocol: "https:" };

  it("reads the URL scheme without a forwarded header", () => {
    expect(isHttpsRequest(httpsUrl, headersOf({}), 0)).toBe(true);
    expect(isHttpsRequest(httpUrl, headersOf({}), 0)).toBe(false);
    expect(isHttpsRequest(httpUrl, headersOf({}), 1)).toBe(false);
  });

  it("ignores a forwarded header without proxies", () => {
    const forged = headersOf({ "x-forwarded-proto": "https" });

    expect(isHttpsRequest(httpUrl, forged, 0)).toBe(false);
    // `next start` derives the URL scheme from the same header.
    expect(isHttpsRequest(httpsUrl, forged, 0)).toBe(false);
  });

  it.each([
    { header: "https", hops: 1, expected: true },
    { header: "HTTPS", hops: 1, expected: true },
    { header: "http", hops: 1, expected: false },
    { header: "http, https", hops: 1, expected: true },
    { header: "https, http", hops: 1, expected: false },
    { header: "https, http", hops: 2, expected: true },
    { header: "https", hops: 2, expected: true },
    { header: "", hops: 1, expected: false },
  ])("reads '$header' through $hops trusted proxies", ({ header, hops, expected }) => {
    const headers = headersOf({ "x-forwarded-proto": header });
    expect(isHttpsRequest(httpUrl, headers, hops)).toBe(expected);
  });
});

describe("planResponseSecurity", () => {
  it("gives a page a nonce in its policy", () => {
    const security = planResponseSecurity(PAGE_REQUEST);

    expect(security.nonce).not.toBeNull();
    expect(security.contentSecurityPolicy).toContain(`'nonce-${security.nonce}'`);
  });

  it("gives each request a new nonce", () => {
    const first = planResponseSecurity(PAGE_REQUEST);
    const second = planResponseSecurity(PAGE_REQUEST);
    expect(first.nonce).not.toBe(second.nonce);
  });

  it.each(["/api/health", "/api/auth/refresh", "/.well-known/jwks.json"])(
    "gives %s the API policy",
    (pathname) => {
      const security = planResponseSecurity({ ...PAGE_REQUEST, pathname });

      expect(security.nonce).toBeNull();
      expect(security.contentSecurityPolicy).toBe(API_CONTENT_SECURITY_POLICY);
    },
  );

  it("sends HSTS only over HTTPS in production", () => {
    expect(planResponseSecurity(PAGE_REQUEST).strictTransportSecurity).toBeNull();
    expect(planResponseSecurity({ ...PAGE_REQUEST, https: true }).strictTransportSecurity).toBe(
      "max-age=63072000; includeSubDomains",
    );
    expect(
      planResponseSecurity({ ...PAGE_REQUEST, https: true, development: true })
        .strictTransportSecurity,
    ).toBeNull();
  });

  it("prevents storage with auth cookies", () => {
    expect(planResponseSecurity({ ...PAGE_REQUEST, hasAuthCookie: true }).noStore).toBe(true);
  });

  it("prevents storage for a POST", () => {
    expect(planResponseSecurity({ ...PAGE_REQUEST, method: "POST" }).noStore).toBe(true);
  });

  it("leaves caching to Next.js for a signed-out GET", () => {
    expect(planResponseSecurity(PAGE_REQUEST).noStore).toBe(false);
    expect(planResponseSecurity({ ...PAGE_REQUEST, method: "HEAD" }).noStore).toBe(false);
  });

  it("sends no referrer from a URL with a secret", () => {
    const security = planResponseSecurity({ ...PAGE_REQUEST, pathname: "/auth/report-sign-in" });
    expect(security.referrerPolicy).toBe("no-referrer");
  });

  it("limits the referrer elsewhere", () => {
    expect(planResponseSecurity(PAGE_REQUEST).referrerPolicy).toBe(
      "strict-origin-when-cross-origin",
    );
  });
});

describe("setSecurityHeaders", () => {
  it("sets the fixed headers and the policy", () => {
    const security = planResponseSecurity(PAGE_REQUEST);
    const headers = new Headers();
    setSecurityHeaders(headers, security);

    expect(headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(headers.get("X-Frame-Options")).toBe("DENY");
    expect(headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    expect(headers.get("Permissions-Policy")).toBe("camera=(), microphone=(), geolocation=()");
    expect(headers.get("Cross-Origin-Opener-Policy")).toBe("same-origin");
    expect(headers.get("Content-Security-Policy")).toBe(security.contentSecurityPolicy);
    expect(headers.has("Strict-Transport-Security")).toBe(false);
    expect(headers.has("Cache-Control")).toBe(false);
  });

  it("sets HSTS and no-store when planned", () => {
    const security = planResponseSecurity({ ...PAGE_REQUEST, https: true, hasAuthCookie: true });
    const headers = new Headers({ "Cache-Control": "public, max-age=60" });
    setSecurityHeaders(headers, security);

    expect(headers.get("Strict-Transport-Security")).toBe("max-age=63072000; includeSubDomains");
    expect(headers.get("Cache-Control")).toBe("no-store");
  });

  it("keeps no-referrer for a URL with a secret", () => {
    const security = planResponseSecurity({ ...PAGE_REQUEST, pathname: "/auth/report-sign-in" });
    const headers = new Headers();
    setSecurityHeaders(headers, security);
    expect(headers.get("Referrer-Policy")).toBe("no-referrer");
  });
});

describe("withContentSecurityPolicy", () => {
  it("replaces a policy the client sent", () => {
    const security = planResponseSecurity(PAGE_REQUEST);
    const sent = new Headers({
      "content-security-policy": "script-src 'nonce-chosen-by-client'",
      accept: "text/html",
    });
    const forwarded = withContentSecurityPolicy(sent, security);

    expect(forwarded.get("content-security-policy")).toBe(security.contentSecurityPolicy);
    expect(forwarded.get("accept")).toBe("text/html");
    expect(sent.get("content-security-policy")).toBe("script-src 'nonce-chosen-by-client'");
  });
});

// next.config.mjs has no type declarations, and TypeScript types an import whose specifier
// is a variable as `any`.
const NEXT_CONFIG_MODULE = "../next.config.mjs";

async function nextConfigHeaders() {
  const { default: config } = (await import(NEXT_CONFIG_MODULE)) as { default: NextConfig };
  return (await config.headers?.()) ?? [];
}

describe("next.config.mjs headers", () => {
  it("applies the fixed headers to every path", async () => {
    const rules = await nextConfigHeaders();
    const everyPath = rules.find((rule) => rule.source === "/:path*");

    expect(everyPath?.headers).toEqual(
      Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })),
    );
  });

  it("keeps per-request headers out", async () => {
    const rules = await nextConfigHeaders();
    const keys = rules.flatMap((rule) => rule.headers.map((header) => header.key.toLowerCase()));

    expect(keys).not.toContain("content-security-policy");
    expect(keys).not.toContain("strict-transport-security");
    expect(keys).not.toContain("cache-control");
  });
});
