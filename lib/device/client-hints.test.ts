import { describe, expect, it } from "vitest";

import { isGreaseBrand, parseBrandList, readClientHints } from "./client-hints";

describe("parseBrandList", () => {
  it("parses Edge brand list", () => {
    const header = '"Chromium";v="131", "Microsoft Edge";v="131", "Not_A Brand";v="24"';

    expect(parseBrandList(header)).toEqual([
      { name: "Chromium", version: "131" },
      { name: "Microsoft Edge", version: "131" },
    ]);
  });

  it("parses full version list", () => {
    const header =
      '"Google Chrome";v="131.0.6778.86", "Chromium";v="131.0.6778.86", "Not_A Brand";v="24.0.0.0"';

    expect(parseBrandList(header)).toEqual([
      { name: "Google Chrome", version: "131.0.6778.86" },
      { name: "Chromium", version: "131.0.6778.86" },
    ]);
  });

  it("reads escaped quotes and punctuation", () => {
    // GREASE brands contain `;`, `,` and `=` inside the quotes, which must not split members.
    const header = '"Not;A=Brand";v="8", "Say \\"hi\\"";v="1", "Chromium";v="131"';

    expect(parseBrandList(header)).toEqual([
      { name: 'Say "hi"', version: "1" },
      { name: "Chromium", version: "131" },
    ]);
  });

  it("accepts tabs, token and bare parameters", () => {
    expect(parseBrandList('"Brave";v=131;beta,\t"Chromium";v="131"')).toEqual([
      { name: "Brave", version: "131" },
      { name: "Chromium", version: "131" },
    ]);
  });

  it("allows brand without version", () => {
    expect(parseBrandList('"Chromium"')).toEqual([{ name: "Chromium", version: null }]);
  });

  it("returns empty list for empty header", () => {
    expect(parseBrandList("")).toEqual([]);
    expect(parseBrandList("   ")).toEqual([]);
  });

  it.each([
    ["unquoted brand", "Chromium;v=131"],
    ["missing closing quote", '"Chromium;v="131"'],
    ["trailing comma", '"Chromium";v="131",'],
    ["missing comma", '"Chromium";v="131" "Brave";v="131"'],
    ["bad escape", '"Chro\\mium";v="131"'],
    ["bad parameter key", '"Chromium";V="131"'],
    ["empty parameter value", '"Chromium";v='],
    ["non-ASCII brand", '"Chrömium";v="131"'],
  ])("rejects %s", (_case, header) => {
    expect(parseBrandList(header)).toBeNull();
  });

  it("returns null for missing header", () => {
    expect(parseBrandList(null)).toBeNull();
  });
});

describe("isGreaseBrand", () => {
  it.each([
    "Not_A Brand",
    "Not)A;Brand",
    "Not A(Brand",
    "Not/A)Brand",
    "Not.A/Brand",
    "Not:A-Brand",
    "Not=A?Brand",
    "Not?A_Brand",
    "Not;A=Brand",
    " Not A;Brand",
    "Not A Brand",
  ])("%j is GREASE", (brand) => {
    expect(isGreaseBrand(brand)).toBe(true);
  });

  it.each([
    "Chromium",
    "Google Chrome",
    "Microsoft Edge",
    "Opera GX",
    "Samsung Internet",
    "Notion",
  ])("%j is a real brand", (brand) => {
    expect(isGreaseBrand(brand)).toBe(false);
  });
});

describe("readClientHints", () => {
  it("reads every hint", () => {
    const headers = new Headers({
      "sec-ch-ua": '"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"',
      "sec-ch-ua-mobile": "?1",
      "sec-ch-ua-platform": '"Android"',
      "sec-ch-ua-platform-version": '"14.0.0"',
      "sec-ch-ua-model": '"Pixel 8"',
    });

    expect(readClientHints(headers)).toEqual({
      brands: [
        { name: "Google Chrome", version: "131" },
        { name: "Chromium", version: "131" },
      ],
      mobile: true,
      platform: "Android",
      platformVersion: "14.0.0",
      model: "Pixel 8",
    });
  });

  it("returns undefined without hints", () => {
    expect(readClientHints(new Headers({ "user-agent": "curl/8.5.0" }))).toBeUndefined();
  });

  it("falls back to full version list", () => {
    const headers = new Headers({
      "sec-ch-ua-full-version-list":
        '"Microsoft Edge";v="131.0.2903.86", "Chromium";v="131.0.6778.86"',
    });

    expect(readClientHints(headers)?.brands).toEqual([
      { name: "Microsoft Edge", version: "131.0.2903.86" },
      { name: "Chromium", version: "131.0.6778.86" },
    ]);
  });

  it("reads desktop low-entropy hints", () => {
    const headers = new Headers({
      "sec-ch-ua": '"Chromium";v="131", "Not_A Brand";v="24"',
      "sec-ch-ua-mobile": "?0",
      "sec-ch-ua-platform": '"Windows"',
    });
    const hints = readClientHints(headers);

    expect(hints?.mobile).toBe(false);
    expect(hints?.platform).toBe("Windows");
    expect(hints?.platformVersion).toBeNull();
    expect(hints?.model).toBeNull();
  });

  it("ignores malformed values", () => {
    const headers = new Headers({
      "sec-ch-ua": "Chromium",
      "sec-ch-ua-mobile": "yes",
      "sec-ch-ua-platform": "Windows",
      "sec-ch-ua-platform-version": '"15.0.0" "junk"',
      "sec-ch-ua-model": '""',
    });

    expect(readClientHints(headers)).toEqual({
      brands: null,
      mobile: null,
      platform: null,
      platformVersion: null,
      model: "",
    });
  });

  it("parses oversized header without throwing", () => {
    const headers = new Headers({ "sec-ch-ua": `"${"A".repeat(20_000)}";v="1"` });

    // The value is cut before parsing, so the string never closes and the list is rejected.
    expect(readClientHints(headers)?.brands).toBeNull();
  });
});
