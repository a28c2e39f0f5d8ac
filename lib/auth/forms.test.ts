import { describe, expect, it } from "vitest";

import { signUpSchema } from "./forms";

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
  ])("rejects a %s", (_case, name) => {
    expect(displayNameError(name)).toBe("Remove invisible or text-direction characters.");
  });

  it("rejects blank and long names", () => {
    expect(displayNameError("   ")).toBe("Enter your name.");
    expect(displayNameError("x".repeat(81))).toBe("Use at most 80 characters.");
  });
});
