import { describe, expect, it } from "vitest";

import { SECURITY_EVENT_TYPES, type SecurityEventType } from "./db/schema";
import {
  describeNewSignIn,
  describeSecurityEvent,
  type SecurityEventFacts,
} from "./security-event-text";

function facts(type: SecurityEventType, overrides: Partial<SecurityEventFacts> = {}) {
  return {
    type,
    organizationName: null,
    fromRole: null,
    toRole: null,
    expiryReason: null,
    failedStep: null,
    byAnotherUser: false,
    sessionName: null,
    sessionLabel: null,
    ...overrides,
  };
}

describe("describeSecurityEvent", () => {
  it.each([
    ["sign_up", "Account created"],
    ["sign_in", "Signed in"],
    ["sign_in_failed", "Failed sign-in attempt"],
    ["sign_out", "Signed out"],
    ["session_revoked", "Signed out another device"],
    ["password_changed", "Password changed"],
    ["password_verified", "Password confirmed"],
    ["session_reported", "Reported a sign-in as not yours and signed it out"],
  ] as const)("describes %s", (type, text) => {
    expect(describeSecurityEvent(facts(type))).toBe(text);
  });

  it("failed password confirmation", () => {
    const failure = facts("sign_in_failed", { failedStep: "password_confirmation" });
    expect(describeSecurityEvent(failure)).toBe("Wrong password when confirming an action");
  });

  it("names the organization", () => {
    const acme = { organizationName: "Acme" };
    expect(describeSecurityEvent(facts("organization_switched", acme))).toBe("Switched to Acme");
    expect(describeSecurityEvent(facts("member_added", acme))).toBe("Added to Acme");
    expect(describeSecurityEvent(facts("member_removed", acme))).toBe("Removed from Acme");
    expect(describeSecurityEvent(facts("organization_policy_changed", acme))).toBe(
      "Session policy changed in Acme",
    );
  });

  it("role change with both roles", () => {
    const change = facts("role_changed", {
      organizationName: "Acme",
      fromRole: "member",
      toRole: "admin",
    });
    expect(describeSecurityEvent(change)).toBe("Role changed from member to admin in Acme");
  });

  it("role change with unknown roles", () => {
    const change = facts("role_changed", {
      organizationName: "Acme",
      fromRole: "owner",
      toRole: "admin",
    });
    expect(describeSecurityEvent(change)).toBe("Role changed in Acme");
  });

  it("organization without a name", () => {
    expect(describeSecurityEvent(facts("member_removed"))).toBe("Removed from an organization");
  });

  it.each([
    ["idle_timeout", "Session expired after inactivity"],
    ["absolute_timeout", "Session reached the maximum length"],
    [null, "Session expired"],
  ])("expiry reason %s", (expiryReason, text) => {
    expect(describeSecurityEvent(facts("session_expired", { expiryReason }))).toBe(text);
  });

  it("marks a change by an administrator", () => {
    const change = facts("role_changed", {
      organizationName: "Acme",
      fromRole: "admin",
      toRole: "member",
      byAnotherUser: true,
    });
    expect(describeSecurityEvent(change)).toBe(
      "Role changed from admin to member in Acme by an administrator",
    );
  });

  it.each([
    ["Work laptop", "Named a device “Work laptop”"],
    ["", "Removed the name of a device"],
    [null, "Renamed a device"],
  ])("session renamed to %j", (sessionName, text) => {
    expect(describeSecurityEvent(facts("session_renamed", { sessionName }))).toBe(text);
  });

  it("names the signed-out device", () => {
    const revoked = facts("session_revoked", { sessionLabel: "Work laptop (Chrome on macOS)" });
    expect(describeSecurityEvent(revoked)).toBe("Signed out Work laptop (Chrome on macOS)");
  });

  it("names the reported device", () => {
    const reported = facts("session_reported", { sessionLabel: "Firefox on Windows" });
    expect(describeSecurityEvent(reported)).toBe(
      "Reported a sign-in from Firefox on Windows as not yours and signed it out",
    );
  });

  it.each(SECURITY_EVENT_TYPES)("has a sentence for %s", (type) => {
    const text = describeSecurityEvent(facts(type));
    expect(text).not.toBe("");
    expect(text).not.toContain(type);
  });
});

describe("describeNewSignIn", () => {
  it.each([
    [true, false, "New device"],
    [false, true, "New country"],
    [true, true, "New device and country"],
  ])("newDevice %s, newCountry %s", (newDevice, newCountry, text) => {
    expect(describeNewSignIn({ newDevice, newCountry })).toBe(text);
  });

  it("returns null when nothing new", () => {
    expect(describeNewSignIn({ newDevice: false, newCountry: false })).toBeNull();
  });
});
