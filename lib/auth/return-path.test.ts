import { describe, expect, it } from "vitest";

import { DEFAULT_SIGNED_IN_PATH, safeReturnPath } from "./return-path";

const MAX_RETURN_PATH_LENGTH = 2048;

describe("safeReturnPath", () => {
  it.each([
    ["/", "/"],
    ["/account/security", "/account/security"],
    ["/account/sessions?tab=all", "/account/sessions?tab=all"],
    ["/account/sessions#recent", "/account/sessions#recent"],
    ["/orgs/acme/members?role=admin&page=2#list", "/orgs/acme/members?role=admin&page=2#list"],
    ["/search?q=a%20b", "/search?q=a%20b"],
    ["/account/../devices", "/devices"],
  ])("accepts %j", (candidate, expected) => {
    expect(safeReturnPath(candidate)).toBe(expected);
  });

  it.each([
    ["absolute https", "https://evil.example/account"],
    ["absolute http", "http://evil.example"],
    ["uppercase scheme", "HTTPS://evil.example"],
    ["protocol-relative", "//evil.example"],
    ["protocol-relative with path", "//evil.example/account/security"],
    ["slash backslash", "/\\evil.example"],
    ["double backslash", "\\\\evil"],
    ["javascript scheme", "javascript:alert(1)"],
    ["encoded slashes without leading slash", "%2F%2Fevil.example"],
    ["encoded slashes", "/%2F%2Fevil.example"],
    ["lowercase encoded slash", "/%2fevil.example"],
    ["encoded backslash", "/%5Cevil.example"],
    ["dot segment before double slash", "/.//evil.example"],
    ["parent segment before double slash", "/account/..//evil.example"],
    ["encoded dot segments", "/%2e%2e//evil.example"],
    ["newline", "/\n/evil.example"],
    ["tab", "/\t/evil.example"],
    ["NUL", "/account\u0000"],
    ["DEL", "/account\u007f"],
    ["encoded CRLF", "/account%0d%0aSet-Cookie:%20x=1"],
    ["leading space", " /account"],
    ["relative path", "account/security"],
    ["empty", ""],
    ["overlong", "/" + "a".repeat(MAX_RETURN_PATH_LENGTH)],
    ["overlong query", "/account?" + "q".repeat(MAX_RETURN_PATH_LENGTH)],
  ])("rejects %s", (_case, candidate) => {
    expect(safeReturnPath(candidate)).toBe(DEFAULT_SIGNED_IN_PATH);
  });

  it.each([null, undefined])("falls back on %s", (candidate) => {
    expect(safeReturnPath(candidate)).toBe(DEFAULT_SIGNED_IN_PATH);
  });

  it("uses custom fallback", () => {
    expect(safeReturnPath("//evil.example", "/sign-in")).toBe("/sign-in");
    expect(safeReturnPath(null, "/sign-in")).toBe("/sign-in");
    expect(safeReturnPath("/account", "/sign-in")).toBe("/account");
  });

  it("accepts path at length limit", () => {
    const longest = "/" + "a".repeat(MAX_RETURN_PATH_LENGTH - 1);

    expect(safeReturnPath(longest)).toBe(longest);
  });
});

describe("safeReturnPath non-page targets", () => {
  it.each(["/api/auth/refresh", "/api", "/auth/handshake?return_to=/x", "/api/access/admin?x=1"])(
    "falls back for %s",
    (candidate) => {
      expect(safeReturnPath(candidate)).toBe(DEFAULT_SIGNED_IN_PATH);
    },
  );

  it("keeps a page whose name starts with api", () => {
    expect(safeReturnPath("/apiary")).toBe("/apiary");
  });
});
