import type { NextRequest } from "next/server";

import { handleAccessCheck } from "@/lib/auth/access-check";

export const dynamic = "force-dynamic";

/** Allowed for any member of the session's active organization; decided from the token. */
export function GET(request: NextRequest) {
  return handleAccessCheck(request, "member");
}
