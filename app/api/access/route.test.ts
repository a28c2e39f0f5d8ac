import { describe, expect, it } from "vitest";

import { mintSessionToken, type TokenSubject } from "@/lib/auth/token";
import { buildRequest, TOKEN_COOKIE } from "@/test/requests";

import { GET as adminCheck } from "./admin/route";
import { GET as memberCheck } from "./member/route";

const BASE_SUBJECT: TokenSubject = {
  userId: "8f0a4f5e-5a43-4c53-9b43-52a4a0a6d001",
  sessionId: "8f0a4f5e-5a43-4c53-9b43-52a4a0a6d002",
  lastVerifiedAt: new Date(),
  activeOrganizationId: "8f0a4f5e-5a43-4c53-9b43-52a4a0a6d003",
  activeRole: "member",
};

async function requestWith(subject: TokenSubject | null) {
  const cookies: Record<string, string> = subject
    ? { [TOKEN_COOKIE]: (await mintSessionToken(subject)).token }
    : {};
  return buildRequest("/api/access/x", { cookies });
}

// These routes must decide on their own, without middleware in front of them.
describe("access check routes", () => {
  it("refuse a request without a token", async () => {
    const response = await memberCheck(await requestWith(null));
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("token_missing");
  });

  it("allow a member the member check", async () => {
    const response = await memberCheck(await requestWith(BASE_SUBJECT));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ allowed: true, role: "member" });
  });

  it("refuse a member the admin check", async () => {
    const response = await adminCheck(await requestWith(BASE_SUBJECT));
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe("role_required");
  });

  it("allow an admin both checks", async () => {
    const admin = { ...BASE_SUBJECT, activeRole: "admin" as const };
    expect((await adminCheck(await requestWith(admin))).status).toBe(200);
    expect((await memberCheck(await requestWith(admin))).status).toBe(200);
  });

  it("refuse a session without an organization", async () => {
    const none = { ...BASE_SUBJECT, activeOrganizationId: null, activeRole: null };
    const response = await memberCheck(await requestWith(none));
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe("no_organization");
  });
});
