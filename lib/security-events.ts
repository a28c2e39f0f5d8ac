import "server-only";

import type { Database } from "./db/client";
import { securityEvents, type SecurityEventType } from "./db/schema";
import type { RequestContext } from "./device/request-context";

export interface SecurityEventInput {
  type: SecurityEventType;
  userId: string | null;
  sessionId?: string | null;
  context: RequestContext;
  detail?: Record<string, string>;
}

/** Appends one event to the security log. */
export async function recordSecurityEvent(db: Database, event: SecurityEventInput): Promise<void> {
  await db.insert(securityEvents).values({
    type: event.type,
    userId: event.userId,
    sessionId: event.sessionId ?? null,
    ip: event.context.ip,
    userAgent: event.context.userAgent,
    detail: event.detail ?? null,
  });
}
