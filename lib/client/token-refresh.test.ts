import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import {
  parseRetryAfterMs,
  RETRY_MAX_DELAY_MS,
  retryDelayMs,
  TokenRefresher,
  type RefresherOptions,
} from "./token-refresh";

// The refresher is browser code. These tests run it in Node with small stand-ins for the
// browser APIs it uses (localStorage, Web Locks, BroadcastChannel, document and window
// events) and with fake timers, which also drive `performance.now()`.

const EXPIRY_KEY = "tessera:token-expires-at";

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/** BroadcastChannel within one test: delivers to every other open channel of the same name. */
class MemoryChannel {
  static open = new Set<MemoryChannel>();
  static posted: unknown[] = [];
  onmessage: ((event: { data: unknown }) => void) | null = null;

  constructor(private readonly name: string) {
    MemoryChannel.open.add(this);
  }
  postMessage(data: unknown): void {
    MemoryChannel.posted.push(data);
    for (const channel of MemoryChannel.open) {
      if (channel !== this && channel.name === this.name) {
        queueMicrotask(() => channel.onmessage?.({ data }));
      }
    }
  }
  close(): void {
    MemoryChannel.open.delete(this);
  }
}

/** Web Locks with one lock: callbacks run one after another, in request order. */
function memoryLocks() {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    request(_name: string, callback: () => Promise<void>): Promise<void> {
      const run = tail.then(callback);
      tail = run.catch(() => {});
      return run;
    },
  };
}

const fetchMock = vi.fn<typeof fetch>();
const refreshers: TokenRefresher[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  MemoryChannel.open.clear();
  MemoryChannel.posted = [];
  fetchMock.mockReset();
  vi.stubGlobal("localStorage", new MemoryStorage());
  vi.stubGlobal("window", new EventTarget());
  vi.stubGlobal("document", Object.assign(new EventTarget(), { visibilityState: "visible" }));
  vi.stubGlobal("navigator", { locks: memoryLocks() });
  vi.stubGlobal("BroadcastChannel", MemoryChannel);
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => {
  for (const refresher of refreshers.splice(0)) refresher.stop();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function startRefresher(overrides: Partial<RefresherOptions> = {}) {
  const events = {
    signedOut: [] as string[],
    reconnecting: [] as boolean[],
    tokens: 0,
  };
  const refresher = new TokenRefresher({
    // A 4 s token with the minimum 1 s lead: the first refresh is due after 3 s.
    initialExpiresIn: 4,
    onSignedOut: (reason) => events.signedOut.push(reason),
    onReconnecting: (reconnecting) => events.reconnecting.push(reconnecting),
    onToken: () => {
      events.tokens += 1;
    },
    // The middle of the jitter range, so every delay is exactly the back-off.
    random: () => 0.5,
    ...overrides,
  });
  refreshers.push(refresher);
  refresher.start();
  return { refresher, events };
}

const FIRST_REFRESH_MS = 3_000;

function unavailableResponse(retryAfterSeconds?: number): Response {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (retryAfterSeconds !== undefined) headers["Retry-After"] = String(retryAfterSeconds);
  return new Response(
    JSON.stringify({ error: { code: "database_unavailable", message: "unavailable" } }),
    { status: 503, headers },
  );
}

function refreshedResponse(expiresIn = 60): Response {
  return Response.json({
    expiresIn,
    idleExpiresIn: 1_800,
    absoluteExpiresIn: 86_400,
    sessionId: "session",
    organizationId: null,
    role: null,
  });
}

describe("retryDelayMs", () => {
  it("doubles up to the cap", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 20].map((failures) => retryDelayMs(failures, 0.5));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("keeps jitter within half the back-off", () => {
    for (let failures = 1; failures <= 5; failures += 1) {
      const backOff = 1_000 * 2 ** (failures - 1);
      expect(retryDelayMs(failures, 0)).toBe(backOff / 2);
      expect(retryDelayMs(failures, 0.999_999)).toBeLessThanOrEqual(backOff * 1.5);
      expect(retryDelayMs(failures, 0.999_999)).toBeGreaterThan(backOff * 1.49);
    }
  });

  it("never exceeds the cap with jitter", () => {
    for (const random of [0, 0.25, 0.5, 0.75, 0.999_999]) {
      expect(retryDelayMs(10, random)).toBeLessThanOrEqual(RETRY_MAX_DELAY_MS);
      expect(retryDelayMs(10, random)).toBeGreaterThanOrEqual(RETRY_MAX_DELAY_MS / 2);
    }
  });

  it("waits at least Retry-After", () => {
    expect(retryDelayMs(1, 0, 5_000)).toBe(5_000);
    expect(retryDelayMs(6, 0.5, 5_000)).toBe(30_000);
  });

  it("caps a long Retry-After", () => {
    expect(retryDelayMs(1, 0.5, 3_600_000)).toBe(RETRY_MAX_DELAY_MS);
  });
});

describe("parseRetryAfterMs", () => {
  it("reads delay seconds", () => {
    expect(parseRetryAfterMs("5")).toBe(5_000);
    expect(parseRetryAfterMs(" 12 ")).toBe(12_000);
  });

  it("reads an HTTP date", () => {
    const now = Date.parse("2030-01-01T00:00:00Z");
    expect(parseRetryAfterMs("Tue, 01 Jan 2030 00:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfterMs("Mon, 31 Dec 2029 23:59:00 GMT", now)).toBe(0);
  });

  it("ignores a missing or unreadable header", () => {
    expect(parseRetryAfterMs(null)).toBe(0);
    expect(parseRetryAfterMs("")).toBe(0);
    expect(parseRetryAfterMs("soon")).toBe(0);
  });
});

describe("TokenRefresher outage", () => {
  it("keeps the session on 503", async () => {
    fetchMock.mockImplementation(async () => unavailableResponse(5));
    localStorage.setItem(EXPIRY_KEY, "1");
    const { events } = startRefresher();

    await vi.advanceTimersByTimeAsync(FIRST_REFRESH_MS);

    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(events.signedOut).toEqual([]);
    expect(events.reconnecting).toEqual([true]);
    expect(MemoryChannel.posted).toEqual([]);
    expect(localStorage.getItem(EXPIRY_KEY)).toBe("1");
  });

  it("keeps the session on a network error", async () => {
    fetchMock.mockRejectedValue(new TypeError("Failed to fetch"));
    const { events } = startRefresher();

    await vi.advanceTimersByTimeAsync(FIRST_REFRESH_MS);

    expect(events.signedOut).toEqual([]);
    expect(events.reconnecting).toEqual([true]);
  });

  it("backs off exponentially", async () => {
    fetchMock.mockImplementation(async () => unavailableResponse());
    startRefresher();
    await vi.advanceTimersByTimeAsync(FIRST_REFRESH_MS);
    expect(fetchMock).toHaveBeenCalledTimes(1);

    // Each retry comes exactly one back-off after the previous failure, and not earlier.
    for (const [attempt, delay] of [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000].entries()) {
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(fetchMock).toHaveBeenCalledTimes(attempt + 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(fetchMock).toHaveBeenCalledTimes(attempt + 2);
    }
  });

  it("applies jitter to retries", async () => {
    fetchMock.mockImplementation(async () => unavailableResponse());
    startRefresher({ random: () => 0 });
    await vi.advanceTimersByTimeAsync(FIRST_REFRESH_MS);

    await vi.advanceTimersByTimeAsync(499);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("waits for Retry-After", async () => {
    fetchMock.mockImplementation(async () => unavailableResponse(5));
    startRefresher();
    await vi.advanceTimersByTimeAsync(FIRST_REFRESH_MS);

    await vi.advanceTimersByTimeAsync(4_999);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("recovers without a sign-in", async () => {
    fetchMock
      .mockImplementationOnce(async () => unavailableResponse(5))
      .mockImplementationOnce(async () => unavailableResponse(5))
      .mockImplementation(async () => refreshedResponse(60));
    const { events } = startRefresher();

    await vi.advanceTimersByTimeAsync(FIRST_REFRESH_MS + 5_000 + 5_000);

    expect(fetchMock).toHaveBeenCalledTimes(3);
    expect(events.reconnecting).toEqual([true, false]);
    expect(events.tokens).toBe(1);
    expect(events.signedOut).toEqual([]);

    // Back on the normal schedule: the 60 s token is refreshed 15 s before it expires.
    await vi.advanceTimersByTimeAsync(44_999);
    expect(fetchMock).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetchMock).toHaveBeenCalledTimes(4);
  });

  it("restarts back-off after recovery", async () => {
    fetchMock
      .mockImplementationOnce(async () => unavailableResponse())
      .mockImplementationOnce(async () => unavailableResponse())
      .mockImplementationOnce(async () => refreshedResponse(60))
      .mockImplementation(async () => unavailableResponse());
    startRefresher();
    // Fails at 3 s and 4 s, succeeds at 6 s, fails again at 51 s.
    await vi.advanceTimersByTimeAsync(FIRST_REFRESH_MS + 1_000 + 2_000 + 45_000);
    expect(fetchMock).toHaveBeenCalledTimes(4);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(fetchMock).toHaveBeenCalledTimes(5);
  });

  it("keeps back-off when requests get 401", async () => {
    fetchMock.mockImplementation(async () => unavailableResponse(5));
    const { refresher } = startRefresher();
    await vi.advanceTimersByTimeAsync(FIRST_REFRESH_MS);
    expect(fetchMock).toHaveBeenCalledTimes(1);

    // A polling page whose checks get 401 during the outage.
    await refresher.refreshAfterUnauthorized();
    await refresher.refreshAfterUnauthorized();

    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("still signs out on 401", async () => {
    fetchMock
      .mockImplementationOnce(async () => unavailableResponse(5))
      .mockImplementation(async () =>
        Response.json(
          { error: { code: "session_idle_timeout", message: "ended" } },
          { status: 401 },
        ),
      );
    const { events } = startRefresher();

    await vi.advanceTimersByTimeAsync(FIRST_REFRESH_MS + 5_000);

    expect(events.signedOut).toEqual(["idle_timeout"]);
    expect(MemoryChannel.posted).toEqual([{ type: "signed-out" }]);
  });

  it("clears the notice when another tab refreshes", async () => {
    fetchMock.mockImplementation(async () => unavailableResponse(5));
    const first = startRefresher();
    const second = startRefresher({ onReconnecting: () => {} });
    await vi.advanceTimersByTimeAsync(FIRST_REFRESH_MS);
    expect(first.events.reconnecting).toEqual([true]);

    second.refresher.adoptToken(performance.timeOrigin + performance.now(), 60, {
      organizationId: null,
      role: null,
    });
    await vi.advanceTimersByTimeAsync(0);

    expect(first.events.reconnecting).toEqual([true, false]);
  });

  it("retries at once when back online", async () => {
    fetchMock.mockImplementation(async () => unavailableResponse(5));
    startRefresher();
    await vi.advanceTimersByTimeAsync(FIRST_REFRESH_MS);
    expect(fetchMock).toHaveBeenCalledTimes(1);

    window.dispatchEvent(new Event("online"));
    await vi.advanceTimersByTimeAsync(0);

    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});
