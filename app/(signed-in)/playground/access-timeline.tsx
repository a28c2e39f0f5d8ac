"use client";

import Link from "next/link";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";

import { monotonicNow, useSession } from "@/components/session-provider";
import { focusRing, secondaryButton } from "@/components/ui";

/** Seconds of history the time axis shows. */
const WINDOW_SECONDS = 90;
const TICK_MS = 500;
const AUTO_RUN_INTERVAL_MS = 1_000;
const MAX_CHECKS = 300;

type CheckKind = "member" | "admin";

interface CheckResult {
  kind: CheckKind;
  at: number;
  status: number;
  role: string | null;
  code: string | null;
}

interface TimelineEntry {
  key: string;
  at: number;
  lane: "token" | CheckKind;
  ok: boolean;
  label: string;
  role: string | null;
  status?: number;
}

const subscribeToNothing = () => () => {};

// Underlined, because a link inside a sentence must not differ by colour alone.
const inlineLink = `rounded-sm font-medium underline ${focusRing}`;

/** `tokenLifetimeSeconds` is the server's token lifetime, for the empty timeline's hint. */
export function AccessTimeline({ tokenLifetimeSeconds }: { tokenLifetimeSeconds: number }) {
  const session = useSession();
  // Times only exist in the browser, so the server renders an empty timeline.
  const mounted = useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
  const pageStart = useRef(0);
  const [now, setNow] = useState(0);
  const [checks, setChecks] = useState<CheckResult[]>([]);
  const [autoRun, setAutoRun] = useState(false);

  useEffect(() => {
    pageStart.current = monotonicNow();
    const timer = setInterval(() => setNow(monotonicNow()), TICK_MS);
    return () => clearInterval(timer);
  }, []);

  const { fetchWithSession } = session;
  useEffect(() => {
    if (!autoRun) return;
    const timer = setInterval(() => {
      void runCheck("member");
      void runCheck("admin");
    }, AUTO_RUN_INTERVAL_MS);
    return () => clearInterval(timer);
    // runCheck only depends on fetchWithSession, which is stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [autoRun, fetchWithSession]);

  async function runCheck(kind: CheckKind) {
    const at = monotonicNow();
    let status = 0;
    let body = null as { role?: string | null; error?: { code?: string } } | null;
    try {
      const response = await fetchWithSession(`/api/access/${kind}`, { cache: "no-store" });
      status = response.status;
      body = (await response.json().catch(() => null)) as typeof body;
    } catch {
      status = 0;
    }
    const result: CheckResult = {
      kind,
      at,
      status,
      role: body?.role ?? null,
      code: body?.error?.code ?? null,
    };
    setChecks((previous) => [...previous.slice(-(MAX_CHECKS - 1)), result]);
  }

  const entries: TimelineEntry[] = [
    ...session.tokenEvents.map((event, index) => ({
      key: `token-${index}`,
      at: event.mintedAt,
      lane: "token" as const,
      ok: true,
      role: event.role,
      label: event.organizationId
        ? `New token: role ${event.role}${event.origin === "other-tab" ? " (shared by another tab)" : ""}`
        : "New token: no organization",
    })),
    ...checks.map((check, index) => ({
      key: `check-${index}`,
      at: check.at,
      lane: check.kind,
      ok: check.status === 200,
      role: check.role,
      status: check.status,
      label: `${check.kind === "admin" ? "Admin" : "Member"} action: ${describeStatus(check)}`,
    })),
  ].sort((a, b) => b.at - a.at);

  return (
    <div className="space-y-4">
      <p className="text-sm">
        Current token:{" "}
        <strong data-testid="current-role">
          {session.token.organizationId ? `role ${session.token.role}` : "no organization"}
        </strong>
      </p>
      {session.token.organizationId ? null : (
        <p
          className="max-w-prose text-sm text-zinc-700 dark:text-zinc-300"
          data-testid="no-organization-hint"
        >
          This session works in no organization, so both actions are refused. Choose one in the
          Organization menu, or{" "}
          <Link href="/organization/new" className={inlineLink}>
            create an organization
          </Link>
          .
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <button type="button" className={secondaryButton} onClick={() => void runCheck("member")}>
          Member action
        </button>
        <button type="button" className={secondaryButton} onClick={() => void runCheck("admin")}>
          Admin action
        </button>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={autoRun}
            onChange={(event) => setAutoRun(event.target.checked)}
          />
          Run both every second
        </label>
      </div>
      {mounted ? <TimeAxis entries={entries} now={Math.max(now, pageStart.current)} /> : null}
      {entries.length === 0 ? (
        <p
          className="max-w-prose text-sm text-zinc-600 dark:text-zinc-400"
          data-testid="timeline-empty"
        >
          No events yet. This session's next token arrives within {tokenLifetimeSeconds} seconds,
          shortly before the current one expires, and the buttons above add a check at once.
        </p>
      ) : null}
      <ol className="max-h-96 space-y-1 overflow-y-auto text-sm" aria-label="Timeline events">
        {entries.map((entry) => (
          <li
            key={entry.key}
            data-testid="timeline-entry"
            data-lane={entry.lane}
            data-ok={entry.ok}
            data-role={entry.role ?? ""}
            className="flex gap-3"
          >
            <span className="w-16 shrink-0 text-right text-zinc-600 tabular-nums dark:text-zinc-400">
              {formatOffset(entry.at - pageStart.current)}
            </span>
            <span className={entry.ok ? "" : "text-red-700 dark:text-red-400"}>{entry.label}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

const LANES: { lane: TimelineEntry["lane"]; title: string }[] = [
  { lane: "token", title: "Tokens" },
  { lane: "member", title: "Member action" },
  { lane: "admin", title: "Admin action" },
];

function TimeAxis({ entries, now }: { entries: TimelineEntry[]; now: number }) {
  const windowStart = now - WINDOW_SECONDS * 1000;
  return (
    <figure
      className="space-y-1 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800"
      aria-label={`Events of the last ${WINDOW_SECONDS} seconds`}
    >
      {LANES.map(({ lane, title }) => (
        <div key={lane} className="flex items-center gap-3">
          <span className="w-28 shrink-0 text-xs text-zinc-600 dark:text-zinc-400">{title}</span>
          <div className="relative h-5 flex-1 border-b border-zinc-300 dark:border-zinc-700">
            {entries
              .filter((entry) => entry.lane === lane && entry.at >= windowStart)
              .map((entry) => (
                <span
                  key={entry.key}
                  title={entry.label}
                  className={`absolute top-1 h-3 w-3 -translate-x-1/2 rounded-full ${markerColor(entry)}`}
                  style={{ left: `${((entry.at - windowStart) / (WINDOW_SECONDS * 1000)) * 100}%` }}
                />
              ))}
          </div>
        </div>
      ))}
      <figcaption className="space-y-1 text-xs text-zinc-600 dark:text-zinc-400">
        <span className="flex justify-between pl-31">
          <span>{WINDOW_SECONDS} s ago</span>
          <span>now</span>
        </span>
        <span className="flex flex-wrap gap-x-4 gap-y-1">
          <LegendDot className="bg-indigo-600" label="token with admin role" />
          <LegendDot className="bg-sky-500" label="token with member role" />
          <LegendDot className="bg-zinc-400" label="token without organization" />
          <LegendDot className="bg-emerald-600" label="action allowed" />
          <LegendDot className="bg-red-600" label="action refused" />
        </span>
      </figcaption>
    </figure>
  );
}

function LegendDot({ className, label }: { className: string; label: string }) {
  return (
    <span className="inline-flex items-center gap-1">
      <span className={`inline-block h-2.5 w-2.5 rounded-full ${className}`} aria-hidden="true" />
      {label}
    </span>
  );
}

function markerColor(entry: TimelineEntry): string {
  if (!entry.ok) return "bg-red-600";
  if (entry.lane !== "token") return "bg-emerald-600";
  if (entry.role === "admin") return "bg-indigo-600";
  if (entry.role === "member") return "bg-sky-500";
  return "bg-zinc-400";
}

function describeStatus(check: CheckResult): string {
  if (check.status === 200) return `allowed (token role ${check.role})`;
  if (check.status === 403) {
    return check.code === "no_organization"
      ? "refused, no organization"
      : "refused, the token's role does not allow it (403)";
  }
  if (check.status === 401) return "refused, not signed in (401)";
  return check.status === 0 ? "network error" : `failed (${check.status})`;
}

function formatOffset(milliseconds: number): string {
  return `+${(Math.max(0, milliseconds) / 1000).toFixed(1)} s`;
}
