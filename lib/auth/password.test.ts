import { describe, expect, it } from "vitest";

import { hashPassword, verifyAgainstDummyHash, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the right password only", async () => {
    const hash = await hashPassword("correct horse battery");

    expect(await verifyPassword(hash, "correct horse battery")).toBe(true);
    expect(await verifyPassword(hash, "correct horse battery!")).toBe(false);
  });

  // Regression: the constant dummy hash must cost the same as a real one, or sign-in with
  // an unknown email returns measurably faster.
  it("dummy hash uses the current parameters", async () => {
    const real = await hashPassword("anything at all");
    const parameters = (hash: string) => hash.split("$").slice(1, 4).join("$");
    const source = await import("node:fs").then((fs) =>
      fs.readFileSync(new URL("./password.ts", import.meta.url), "utf8"),
    );
    const dummy = /"(\$argon2id\$[^"]+)"/.exec(source)?.[1];

    expect(dummy).toBeDefined();
    expect(parameters(dummy ?? "")).toBe(parameters(real));
    await expect(verifyAgainstDummyHash("a guess")).resolves.toBeUndefined();
  });
});
