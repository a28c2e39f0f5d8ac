import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { connection } from "next/server";

import { benchRoutesEnabled, type LookedUpSession } from "@/app/api/bench/_lib/bench-routes";
import {
  lookUpSessionInDatabase,
  lookUpSessionInRedis,
} from "@/app/api/bench/_lib/session-lookups";
import { readSessionSecret } from "@/lib/auth/cookies";
import { requireRole } from "@/lib/auth/server";

export const metadata = { title: "Benchmark page" };

// Benchmark only, like the routes under /api/bench: the same small page behind each session
// check `npm run bench` compares. "none" checks nothing in the page (the floor), "token"
// verifies the token, "db" and "redis" look the session up on every request. 404 unless the
// server runs with TESSERA_BENCH_ROUTES=1.

const CHECKS = ["none", "token", "db", "redis"] as const;
type Check = (typeof CHECKS)[number];

const isCheck = (value: string): value is Check => (CHECKS as readonly string[]).includes(value);

export default async function BenchPage({ params }: { params: Promise<{ check: string }> }) {
  await connection();
  const { check } = await params;
  if (!benchRoutesEnabled() || !isCheck(check)) notFound();

  const session = await checkSession(check);
  return (
    <section aria-labelledby="bench-heading">
      <h1 id="bench-heading" className="text-2xl font-semibold">
        Member check: {check}
      </h1>
      <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt>Session</dt>
        <dd>{session?.sessionId ?? "not checked"}</dd>
        <dt>Organization</dt>
        <dd>{session?.organizationId ?? "not checked"}</dd>
        <dt>Role</dt>
        <dd>{session?.role ?? "not checked"}</dd>
      </dl>
    </section>
  );
}

/** Returns the member session the check found, or redirects as a protected page would. */
async function checkSession(check: Check): Promise<LookedUpSession | null> {
  if (check === "none") return null;
  if (check === "token") {
    const { claims } = await requireRole("member", `/bench/${check}`);
    return {
      userId: claims.sub,
      sessionId: claims.sid,
      organizationId: claims.org_id ?? null,
      role: claims.org_role ?? null,
    };
  }

  const secret = readSessionSecret(await cookies());
  const session = secret
    ? await (check === "db" ? lookUpSessionInDatabase(secret) : lookUpSessionInRedis(secret))
    : null;
  if (!session) redirect(`/sign-in?return_to=/bench/${check}`);
  if (!session.organizationId || !session.role) redirect("/forbidden");
  return session;
}
