import { describe, expect, it } from "vitest";

import { isSameOriginRequest } from "./origin";

const HOST = "127.0.0.1:3000";

const request = (headers: Record<string, string>) => new Headers({ host: HOST, ...headers });

describe("isSameOriginRequest", () => {
  it("accepts Sec-Fetch-Site same-origin", () => {
    expect(isSameOriginRequest(request({ "sec-fetch-site": "same-origin" }))).toBe(true);
  });

  it.each(["same-site", "cross-site", "none"])("rejects Sec-Fetch-Site %s", (site) => {
    expect(isSameOriginRequest(request({ "sec-fetch-site": site }))).toBe(false);
  });

  it("Sec-Fetch-Site overrides matching Origin", () => {
    const headers = request({ "sec-fetch-site": "cross-site", origin: `http://${HOST}` });

    expect(isSameOriginRequest(headers)).toBe(false);
  });

  it("accepts Origin matching Host", () => {
    expect(isSameOriginRequest(request({ origin: `http://${HOST}` }))).toBe(true);
  });

  it.each([
    ["another host", "https://evil.example"],
    ["another port", "http://127.0.0.1:4000"],
    ["host as subdomain", "http://127.0.0.1.evil.example:3000"],
    ["opaque null", "null"],
    ["not a URL", "127.0.0.1:3000"],
  ])("rejects Origin of %s", (_case, origin) => {
    expect(isSameOriginRequest(request({ origin }))).toBe(false);
  });

  it("rejects request without either header", () => {
    expect(isSameOriginRequest(request({}))).toBe(false);
    expect(isSameOriginRequest(new Headers())).toBe(false);
  });

  it("rejects Origin without Host", () => {
    expect(isSameOriginRequest(new Headers({ origin: `http://${HOST}` }))).toBe(false);
  });

  it("uses X-Forwarded-Host when present", () => {
    const forwarded = { "x-forwarded-host": "tessera.example" };

    expect(isSameOriginRequest(request({ ...forwarded, origin: "https://tessera.example" }))).toBe(
      true,
    );
    expect(isSameOriginRequest(request({ ...forwarded, origin: `http://${HOST}` }))).toBe(false);
  });

  it("uses first X-Forwarded-Host entry", () => {
    const headers = request({
      "x-forwarded-host": "tessera.example, internal.lan",
      origin: "https://tessera.example",
    });

    expect(isSameOriginRequest(headers)).toBe(true);
  });
});
