import { sql } from "drizzle-orm";
import { NextResponse } from "next/server";

import { getDb } from "@/lib/db/client";
import { errorBody } from "@/lib/errors";
import { log } from "@/lib/log";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Liveness and database readiness; the first call opens and migrates the database. */
export async function GET(): Promise<NextResponse> {
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return NextResponse.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    log.error({ err: error }, "health check failed");
    return NextResponse.json(errorBody("database_unavailable"), { status: 503 });
  }
}
