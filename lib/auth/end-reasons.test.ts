import { describe, expect, it } from "vitest";

import { SESSION_END_REASONS } from "../db/schema";
import { SESSION_END_REASON_TEXT } from "./end-reasons";

describe("SESSION_END_REASON_TEXT", () => {
  it.each([
    ["signed_out", "Signed out"],
    ["revoked_by_user", "Signed out from another device"],
    ["revoked_by_admin", "Removed by an administrator"],
    ["idle_timeout", "Expired after inactivity"],
    ["absolute_timeout", "Reached the maximum session length"],
    ["password_changed", "Password changed"],
    ["removed_from_organization", "Removed from the organization"],
    ["reported_by_user", "You reported this sign-in as not yours"],
  ] as const)("describes %s", (reason, text) => {
    expect(SESSION_END_REASON_TEXT[reason]).toBe(text);
  });

  it("covers every schema reason", () => {
    expect(Object.keys(SESSION_END_REASON_TEXT).sort()).toEqual([...SESSION_END_REASONS].sort());
  });

  it("gives each reason its own text", () => {
    const texts = Object.values(SESSION_END_REASON_TEXT);
    expect(new Set(texts).size).toBe(texts.length);
  });
});
