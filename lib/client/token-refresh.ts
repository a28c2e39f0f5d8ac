// The browser side of token refresh: one coordinator per tab, agreeing with the other tabs
// of the same browser so that they send one refresh per token lifetime between them.
//
// - Web Locks let one tab at a time decide whether to refresh.
// - localStorage holds the shared expiry, read inside the lock. BroadcastChannel messages
//   could arrive after the next tab already holds the lock, so they only wake tabs up.
// - Times use `performance.timeOrigin + performance.now()`: monotonic within a tab, so a
//   changed system clock does not shift the schedule, and comparable across tabs.
// - Only a 401 signs the tab out. Any other failure (no network, a 503 while the database is
//   down) keeps the session and retries with jittered exponential back-off.

const LOCK_NAME = "tessera:token-refresh";
const CHANNEL_NAME = "tessera:session";
const EXPIRY_KEY = "tessera:token-expires-at";
const INTERACTION_KEY = "tessera:last-interaction-at";
const REFRESH_ENDPOINT = "/api/auth/refresh";
// Input events that mean a person is at the page. Pointer movement and the wheel count too,
// because reading a long page by scrolling is activity. onInteraction writes at most one
// timestamp a second.
const INTERACTION_EVENTS = [
  "pointerdown",
  "pointermove",
  "keydown",
  "touchstart",
  "wheel",
] as const;

const MIN_LEAD_MS = 1_000;
const MAX_LEAD_MS = 15_000;
const INTERACTION_WRITE_INTERVAL_MS = 1_000;

/** Delay before the first retry of a failed refresh; each further failure doubles it. */
const RETRY_BASE_DELAY_MS = 1_000;
/** No retry waits longer than this, whatever the back-off or a `Retry-After` header requests. */
export const RETRY_MAX_DELAY_MS = 30_000;
/**
 * Each delay is scaled by a random factor between 1 - RETRY_JITTER and 1 + RETRY_JITTER, so
 * the browsers that lost the server together do not all come back in the same second.
 */
const RETRY_JITTER = 0.5;

/** Organization and role carried by a newly minted token, as the refresh response reports them. */
export interface TokenSnapshot {
  organizationId: string | null;
  role: "admin" | "member" | null;
}

export interface TokenEvent extends TokenSnapshot {
  /** `monotonicNow()` time the token was minted (the request's start). */
  mintedAt: number;
  expiresAt: number;
  /** Whether this tab sent the request or another tab shared the result. */
  origin: "this-tab" | "other-tab";
}

type ChannelMessage =
  | {
      type: "refreshed";
      expiresAt: number;
      mintedAt: number;
      idleDeadline: number | null;
      token: TokenSnapshot;
    }
  | { type: "signed-out" };

export interface RefresherOptions {
  /** Seconds the current token has left, as computed by the server when it rendered. */
  initialExpiresIn: number;
  /** Called when the session is over, in this tab or another. */
  onSignedOut(reason: SignOutReason): void;
  /** Called for every new token, minted by this tab or shared by another. */
  onToken?(event: TokenEvent): void;
  /**
   * Called with the `monotonicNow()` time at which the idle limit will end the session when
   * no one has touched the page since the last refresh, and with null once that changes.
   */
  onIdleWarning?(deadline: number | null): void;
  /**
   * Called with true when a refresh failed without signing out (the server is unreachable or
   * returned 503) and the loop retries, and with false once a new token arrives.
   */
  onReconnecting?(reconnecting: boolean): void;
  /** Source of the retry jitter, a number in [0, 1); `Math.random` unless a test sets it. */
  random?(): number;
}

/** The warning appears this long before the idle limit, or a third of the limit if shorter. */
const IDLE_WARNING_LEAD_MS = 60_000;
/** The check at the idle deadline waits this much longer, so the server finds it has passed. */
const IDLE_CHECK_DELAY_MS = 500;

/** Reason the session ended, named as in the sign-in page's `reason` parameter. */
export type SignOutReason = "session_ended" | "idle_timeout" | "absolute_timeout";

const SIGN_OUT_REASONS: Record<string, SignOutReason> = {
  session_idle_timeout: "idle_timeout",
  session_absolute_timeout: "absolute_timeout",
};

export function monotonicNow(): number {
  return performance.timeOrigin + performance.now();
}

export class TokenRefresher {
  private expiresAt: number;
  private lifetimeMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Refreshes that failed in a row without a 401; 0 after a success. */
  private failures = 0;
  private reconnecting = false;
  private lastRefreshAt = monotonicNow();
  private lastInteractionWrite = 0;
  private channel: BroadcastChannel | undefined;
  private stopped = false;
  /** When the idle limit ends the session unless the user interacts, as the server reported it. */
  private idleDeadline: number | null = null;
  /** When the refresh that reported `idleDeadline` was sent. */
  private idleBasis = 0;
  private idleTimers: ReturnType<typeof setTimeout>[] = [];
  private idleWarningShown = false;
  /** When the absolute limit ends the session; refreshes cannot move it. */
  private absoluteDeadline: number | null = null;

  constructor(private readonly options: RefresherOptions) {
    this.lifetimeMs = Math.max(options.initialExpiresIn, 1) * 1000;
    this.expiresAt = Math.max(monotonicNow() + this.lifetimeMs, readNumber(EXPIRY_KEY));
  }

  start(): void {
    this.channel = new BroadcastChannel(CHANNEL_NAME);
    this.channel.onmessage = (event: MessageEvent<ChannelMessage>) => this.onMessage(event.data);
    document.addEventListener("visibilitychange", this.onVisibilityChange);
    for (const type of INTERACTION_EVENTS) {
      window.addEventListener(type, this.onInteraction, { passive: true });
    }
    window.addEventListener("online", this.onOnline);
    // Loading or navigating to a page is activity too.
    this.onInteraction();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.idleTimers.forEach(clearTimeout);
    this.channel?.close();
    document.removeEventListener("visibilitychange", this.onVisibilityChange);
    for (const type of INTERACTION_EVENTS) {
      window.removeEventListener(type, this.onInteraction);
    }
    window.removeEventListener("online", this.onOnline);
  }

  /** Refreshes now, for example after a request was answered 401. */
  refreshNow(): Promise<void> {
    return this.refreshIfDue({ force: true });
  }

  /**
   * Refreshes after a request got a 401, unless a retry of a failed refresh is already
   * scheduled. During a database outage a page that polls would otherwise force a refresh for
   * every 401 and skip the back-off.
   */
  refreshAfterUnauthorized(): Promise<void> {
    if (this.reconnecting) return Promise.resolve();
    return this.refreshNow();
  }

  /** Records user activity; the next refresh reports it so the session counts as active. */
  readonly onInteraction = (): void => {
    const now = monotonicNow();
    if (this.idleWarningShown) {
      // Any input while the warning shows counts: report it now instead of at the next
      // scheduled refresh, which may come after the idle limit.
      this.setIdleWarning(false);
      localStorage.setItem(INTERACTION_KEY, String(now));
      void this.refreshIfDue({ force: true });
      return;
    }
    if (now - this.lastInteractionWrite < INTERACTION_WRITE_INTERVAL_MS) return;
    this.lastInteractionWrite = now;
    localStorage.setItem(INTERACTION_KEY, String(now));
  };

  private readonly onVisibilityChange = (): void => {
    if (document.visibilityState === "visible") {
      this.adoptSharedExpiry();
      this.schedule();
    } else {
      // Hidden tabs do not refresh; they catch up as soon as they are visible again.
      clearTimeout(this.timer);
    }
  };

  /** A browser that regains its network retries at once instead of waiting out the back-off. */
  private readonly onOnline = (): void => {
    if (this.reconnecting) void this.refreshIfDue({ force: true });
  };

  private onMessage(message: ChannelMessage): void {
    if (message.type === "signed-out") {
      // Check with the server instead of trusting the message: any page can post on this
      // channel, and a tab that is still signed in must not be sent to the sign-in page.
      void this.refreshIfDue({ force: true });
      return;
    }
    this.expiresAt = Math.max(this.expiresAt, message.expiresAt);
    this.markReachable();
    if (message.idleDeadline !== null) this.setIdleDeadline(message.mintedAt, message.idleDeadline);
    this.options.onToken?.({
      ...message.token,
      mintedAt: message.mintedAt,
      expiresAt: message.expiresAt,
      origin: "other-tab",
    });
    this.schedule();
  }

  private leadMs(): number {
    return Math.min(MAX_LEAD_MS, Math.max(MIN_LEAD_MS, this.lifetimeMs / 4));
  }

  private schedule(delayMs?: number): void {
    clearTimeout(this.timer);
    if (this.stopped || document.visibilityState !== "visible") return;
    let dueIn = delayMs ?? this.expiresAt - this.leadMs() - monotonicNow();
    // A token cut short by the absolute limit cannot be extended: refreshing early would
    // only fetch more short tokens. Refresh once, just after the limit, to learn it ended.
    if (delayMs === undefined && this.absoluteDeadline !== null) {
      // The token was cut short when it expires within a second of the absolute limit.
      if (this.absoluteDeadline <= this.expiresAt + 1_000) {
        dueIn = this.absoluteDeadline + IDLE_CHECK_DELAY_MS - monotonicNow();
      }
    }
    this.timer = setTimeout(() => void this.refreshIfDue({ force: false }), Math.max(0, dueIn));
  }

  private adoptSharedExpiry(): void {
    this.expiresAt = Math.max(this.expiresAt, readNumber(EXPIRY_KEY));
  }

  private async refreshIfDue({ force }: { force: boolean }): Promise<void> {
    if (this.stopped) return;
    await navigator.locks.request(LOCK_NAME, async () => {
      // Checked again inside the lock: a refresh queued behind one that signed out must not
      // send another request.
      if (this.stopped) return;
      this.adoptSharedExpiry();
      const due = this.expiresAt - this.leadMs() <= monotonicNow();
      if (!force && !due) {
        this.schedule();
        return;
      }
      await this.refresh();
    });
  }

  private async refresh(): Promise<void> {
    const userActivity = readNumber(INTERACTION_KEY) > this.lastRefreshAt;
    const startedAt = monotonicNow();
    let response: Response;
    try {
      response = await fetch(REFRESH_ENDPOINT, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ activity: userActivity }),
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch {
      // A network error: offline, or the server is not responding at all.
      this.scheduleRetry(0);
      return;
    }

    if (response.status === 401) {
      const body = (await response.json().catch(() => null)) as {
        error?: { code?: string };
      } | null;
      this.signedOut(SIGN_OUT_REASONS[body?.error?.code ?? ""] ?? "session_ended");
      return;
    }
    if (!response.ok) {
      // 503 `database_unavailable` and any other failure keep the session: only a 401 means
      // the server looked at the session row and found it over.
      this.scheduleRetry(parseRetryAfterMs(response.headers.get("Retry-After")));
      return;
    }

    const body = (await response.json()) as TokenSnapshot & {
      expiresIn: number;
      idleExpiresIn: number;
      absoluteExpiresIn: number;
    };
    this.lastRefreshAt = startedAt;
    this.adoptToken(
      startedAt,
      body.expiresIn,
      { organizationId: body.organizationId, role: body.role },
      { idleExpiresIn: body.idleExpiresIn, absoluteExpiresIn: body.absoluteExpiresIn },
    );
  }

  /**
   * Takes over a newly minted token, from this loop or from an organization switch:
   * schedules the next refresh from its lifetime and shares it with the other tabs.
   * `mintedAt` is when the request was sent, so network time only makes the refresh earlier.
   */
  adoptToken(
    mintedAt: number,
    expiresInSeconds: number,
    token: TokenSnapshot,
    limits?: { idleExpiresIn: number; absoluteExpiresIn: number },
  ): void {
    this.lifetimeMs = expiresInSeconds * 1000;
    this.expiresAt = mintedAt + this.lifetimeMs;
    localStorage.setItem(EXPIRY_KEY, String(this.expiresAt));
    this.markReachable();
    const idleDeadline = limits ? mintedAt + limits.idleExpiresIn * 1000 : null;
    if (limits) this.absoluteDeadline = mintedAt + limits.absoluteExpiresIn * 1000;
    if (idleDeadline !== null) this.setIdleDeadline(mintedAt, idleDeadline);
    this.channel?.postMessage({
      type: "refreshed",
      expiresAt: this.expiresAt,
      mintedAt,
      idleDeadline,
      token,
    } satisfies ChannelMessage);
    this.options.onToken?.({ ...token, mintedAt, expiresAt: this.expiresAt, origin: "this-tab" });
    this.schedule();
  }

  /**
   * Plans the idle warning and, at the idle deadline, one more refresh: the server then ends
   * the session unless someone interacted, so an untouched visible tab signs out on time.
   */
  private setIdleDeadline(basis: number, deadline: number): void {
    // A refresh without activity reports the same deadline again; keep the plan (and a
    // warning already on screen) instead of starting over.
    if (this.idleDeadline !== null && Math.abs(deadline - this.idleDeadline) < 1_000) return;
    this.idleBasis = basis;
    this.idleDeadline = deadline;
    this.idleTimers.forEach(clearTimeout);
    this.setIdleWarning(false);
    const now = monotonicNow();
    const lead = Math.min(IDLE_WARNING_LEAD_MS, (deadline - basis) / 3);
    this.idleTimers = [
      setTimeout(() => this.warnIfIdle(), Math.max(0, deadline - lead - now)),
      setTimeout(
        () => {
          if (document.visibilityState === "visible") void this.refreshIfDue({ force: true });
        },
        Math.max(0, deadline + IDLE_CHECK_DELAY_MS - now),
      ),
    ];
  }

  private warnIfIdle(): void {
    if (this.stopped || this.idleDeadline === null) return;
    const touchedSince = readNumber(INTERACTION_KEY) > this.idleBasis;
    if (touchedSince) {
      // The user is active but the next scheduled refresh may come too late to say so.
      void this.refreshIfDue({ force: true });
      return;
    }
    this.setIdleWarning(true);
  }

  private setIdleWarning(shown: boolean): void {
    if (this.idleWarningShown === shown) return;
    this.idleWarningShown = shown;
    this.options.onIdleWarning?.(shown ? this.idleDeadline : null);
  }

  private scheduleRetry(retryAfterMs: number): void {
    this.failures += 1;
    const random = this.options.random ?? Math.random;
    this.schedule(retryDelayMs(this.failures, random(), retryAfterMs));
    this.setReconnecting(true);
  }

  private markReachable(): void {
    this.failures = 0;
    this.setReconnecting(false);
  }

  private setReconnecting(reconnecting: boolean): void {
    if (this.reconnecting === reconnecting) return;
    this.reconnecting = reconnecting;
    this.options.onReconnecting?.(reconnecting);
  }

  private signedOut(reason: SignOutReason): void {
    if (this.stopped) return;
    localStorage.removeItem(EXPIRY_KEY);
    this.channel?.postMessage({ type: "signed-out" } satisfies ChannelMessage);
    this.stop();
    this.options.onSignedOut(reason);
  }
}

/** Asks every other tab of this browser to check whether its session is over. */
export function broadcastSignedOut(): void {
  localStorage.removeItem(EXPIRY_KEY);
  const channel = new BroadcastChannel(CHANNEL_NAME);
  channel.postMessage({ type: "signed-out" } satisfies ChannelMessage);
  channel.close();
}

/**
 * Returns the milliseconds to wait after the `failures`-th failed refresh in a row. The
 * back-off starts at 1 s and doubles per failure. A jitter factor in [0.5, 1.5), taken from
 * `random` in [0, 1), scales it. The result is at least `retryAfterMs` and at most
 * RETRY_MAX_DELAY_MS.
 */
export function retryDelayMs(failures: number, random: number, retryAfterMs = 0): number {
  const exponent = Math.max(0, failures - 1);
  const backOff = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** exponent);
  const jittered = backOff * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random);
  return Math.round(Math.min(RETRY_MAX_DELAY_MS, Math.max(jittered, retryAfterMs)));
}

/**
 * Reads a `Retry-After` header (RFC 9110, section 10.2.3): delay seconds or an HTTP date.
 * Returns 0 when the header is absent or unreadable.
 */
export function parseRetryAfterMs(value: string | null, now = Date.now()): number {
  const text = value?.trim();
  if (!text) return 0;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? 0 : Math.max(0, date - now);
}

function readNumber(key: string): number {
  const value = Number(localStorage.getItem(key));
  return Number.isFinite(value) ? value : 0;
}
