import "server-only";

import { eq } from "drizzle-orm";

import type { Database } from "./db/client";
import { users } from "./db/schema";

/** The parts of a user that pages may show. Never the password hash. */
export interface UserProfile {
  id: string;
  email: string;
  displayName: string;
}

export async function findUserProfile(db: Database, userId: string): Promise<UserProfile | null> {
  const [user] = await db
    .select({ id: users.id, email: users.email, displayName: users.displayName })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return user ?? null;
}
