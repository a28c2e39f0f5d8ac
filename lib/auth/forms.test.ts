import { describe, expect, it } from "vitest";

import { countCharacters, signUpSchema, visibleName } from "./forms";

const valid = { email: "ada@example.com", displayName: "Ada", password: "correct horse battery" };

function displayNameError(displayName: string): string | undefined {
  const result = signUpSchema.safeParse({ ...valid, displayName });
  return result.success ? undefined : result.error.issues[0]?.message;
}

describe("sign-up display name", () => {
  it.each(["Ada Lovelace", "Jörg Müller", "李小龙", "محمد\u200Cرضا", "👩‍💻 Dev"])(
    "accepts %s",
    (name) => {
      expect(displayNameError(name)).toBeUndefined();
    },
  );

  // Regression: U+202E made the email after the name display reversed.
  it.each([
    ["right-to-left override", "Mallory \u202Emoc.elgoog@nimda"],
    ["zero-width space", "Ad\u200Ba"],
    ["control character", "Ada\u0007"],
    ["isolate", "Ada\u2067x"],
    ["Arabic letter mark", "محمد\u061Cرضا"],
    ["left-to-right mark", "Ada\u200E"],
  ])("rejects a %s", (_case, name) => {
    expect(displayNameError(name)).toBe("Remove invisible or text-direction characters.");
  });

  it("rejects blank and long names", () => {
    expect(displayNameError("   ")).toBe("Enter your name.");
    expect(displayNameError("x".repeat(81))).toBe("Use at most 80 characters.");
  });

  it("stores the NFC form", () => {
    const result = signUpSchema.safeParse({ ...valid, displayName: " Jo\u0308rg " });
    expect(result.success).toBe(true);
    expect(result.data?.displayName).toBe("J\u00F6rg");
  });
});

describe("countCharacters", () => {
  it.each([
    ["plain letters", "Ada", 3],
    ["precomposed accent", "\u00E9", 1],
    ["combining accent", "e\u0301", 1],
    ["stacked combining marks", "a\u0301\u0308\u0323", 1],
    ["zero-width joiner sequence", "👩\u200D💻", 1],
    ["family emoji", "👨\u200D👩\u200D👧\u200D👦", 1],
    ["flag", "🇩🇪", 1],
    ["skin tone", "👋🏽", 1],
    ["Hangul jamo", "\u1112\u1161\u11AB", 1],
    ["empty", "", 0],
  ])("counts %s", (_case, value, count) => {
    expect(countCharacters(value)).toBe(count);
  });

  it("stops past the limit", () => {
    expect(countCharacters("x".repeat(1000), 5)).toBe(6);
  });
});

describe("visibleName", () => {
  const schema = visibleName("a name", 4, 16);

  function nameError(value: string): string | undefined {
    const result = schema.safeParse(value);
    return result.success ? undefined : result.error.issues[0]?.message;
  }

  it("counts user-perceived characters", () => {
    expect(nameError("e\u0301e\u0301e\u0301e\u0301")).toBeUndefined();
    expect(nameError("👩\u200D💻🇩🇪👋🏽x")).toBeUndefined();
    expect(nameError("abcde")).toBe("Use at most 4 characters.");
    expect(nameError("e\u0301e\u0301e\u0301e\u0301e\u0301")).toBe("Use at most 4 characters.");
  });

  it("caps the code units", () => {
    // Two family emoji are 2 characters but 22 UTF-16 code units.
    const families = "👨\u200D👩\u200D👧\u200D👦".repeat(2);
    expect(families.length).toBe(22);
    expect(nameError(families)).toBe(
      "The name is too long to store. Use fewer accents, symbols or emoji.",
    );
  });

  it("counts after NFC normalization", () => {
    // "Å" typed as A plus a combining ring is 2 code units, and 1 once composed.
    const decomposed = "A\u030A".repeat(4);
    expect(schema.parse(decomposed)).toBe("\u00C5".repeat(4));
  });

  it("defaults to four code units each", () => {
    // No precomposed letter exists for x with an acute accent, so NFC keeps every mark.
    const defaults = visibleName("a name", 2);
    expect(defaults.safeParse("x" + "\u0301".repeat(7)).success).toBe(true);
    expect(defaults.safeParse("x" + "\u0301".repeat(8)).success).toBe(false);
  });
});
