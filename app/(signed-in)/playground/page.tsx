import type { Metadata } from "next";

import { requireAuth } from "@/lib/auth/server";
import { getEnv } from "@/lib/env";

import { AccessTimeline } from "./access-timeline";

export const metadata: Metadata = { title: "Access timeline" };

export default async function PlaygroundPage() {
  await requireAuth("/playground");
  const lifetime = getEnv().tokenTtlSeconds;
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Access timeline</h1>
      <p className="max-w-prose text-sm text-zinc-700 dark:text-zinc-300">
        Each dot on the top line is a new token for this session, with the role it carries. The two
        buttons call routes that decide from the token alone, without a database read. When an admin
        changes your role or signs this device out, the change arrives with the next token, at most{" "}
        {lifetime} seconds later. Open this page in a second browser to watch it happen.
      </p>
      <AccessTimeline tokenLifetimeSeconds={lifetime} />
    </section>
  );
}
