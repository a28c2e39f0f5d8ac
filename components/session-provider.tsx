"use client";

import { useRouter } from "next/navigation";

import { IdleWarning } from "@/components/idle-warning";
import { ReconnectingNotice } from "@/components/reconnecting-notice";
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";

import {
  broadcastSignedOut,
  monotonicNow,
  TokenRefresher,
  type TokenEvent,
  type TokenSnapshot,
} from "@/lib/client/token-refresh";

/** Most recent token events kept for the access timeline. */
const MAX_TOKEN_EVENTS = 100;

export interface ClientSession {
  userId: string;
  sessionId: string;
  /** Organization and role of the newest token this tab has received. */
  token: TokenSnapshot;
  /** Tokens minted since this page loaded, oldest first. */
  tokenEvents: TokenEvent[];
  /** `monotonicNow()` time the idle limit ends the session, while the warning is due; else null. */
  idleWarningDeadline: number | null;
  /**
   * True while refreshes fail without signing out (server or database unreachable) and the
   * loop retries. The current token keeps working until it expires.
   */
  reconnecting: boolean;
  /** Counts as user activity, as any click or key press does; used by "Stay signed in". */
  reportActivity(): void;
  /** Refreshes the token now, for example after a request came back 401. */
  refresh(): Promise<void>;
  /**
   * Stops the refresh loop of this tab, called as sign-out starts. A refresh racing the
   * sign-out would get a 401 and send the tab to "session ended" instead of "signed out".
   */
  stopRefreshing(): void;
  /**
   * Hands a token minted outside the refresh loop (by an organization switch) to the loop,
   * which reschedules and notifies the other tabs.
   */
  adoptToken(mintedAt: number, expiresInSeconds: number, token: TokenSnapshot): void;
  /**
   * `fetch` for this app's API: on a 401 it refreshes the token once and retries, so a tab
   * that slept past its token's lifetime recovers without a sign-in.
   */
  fetchWithSession(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
}

const SessionContext = createContext<ClientSession | null>(null);

/** Returns the signed-in session of the current page; throws outside the signed-in layout. */
/** Returns the signed-in session, or null outside the signed-in layout. */
export function useOptionalSession(): ClientSession | null {
  return useContext(SessionContext);
}

export function useSession(): ClientSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession() must be used inside <SessionProvider>.");
  return session;
}

export function SessionProvider(props: {
  userId: string;
  sessionId: string;
  initialExpiresIn: number;
  initialToken: TokenSnapshot;
  children: React.ReactNode;
}) {
  const { userId, sessionId, initialExpiresIn, initialToken, children } = props;
  const refresher = useRef<TokenRefresher | null>(null);
  const router = useRouter();
  const lastToken = useRef<TokenSnapshot>(initialToken);
  const [token, setToken] = useState<TokenSnapshot>(initialToken);
  const [tokenEvents, setTokenEvents] = useState<TokenEvent[]>([]);
  const [idleWarningDeadline, setIdleWarningDeadline] = useState<number | null>(null);
  const [reconnecting, setReconnecting] = useState(false);

  useEffect(() => {
    const instance = new TokenRefresher({
      initialExpiresIn,
      onToken: (event) => {
        const previous = lastToken.current;
        lastToken.current = { organizationId: event.organizationId, role: event.role };
        setToken(lastToken.current);
        // Server-rendered parts (navigation, menus, page data) were rendered for the old
        // organization or role; render them again for the new token.
        if (previous.organizationId !== event.organizationId || previous.role !== event.role) {
          router.refresh();
        }
        setTokenEvents((events) => [...events.slice(-(MAX_TOKEN_EVENTS - 1)), event]);
      },
      onIdleWarning: setIdleWarningDeadline,
      onReconnecting: setReconnecting,
      onSignedOut: (reason) => window.location.assign(`/sign-in?reason=${reason}`),
    });
    refresher.current = instance;
    instance.start();
    return () => instance.stop();
    // One refresher per signed-in session; later renders must not restart it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sessionId]);

  const reportActivity = useCallback(() => refresher.current?.onInteraction(), []);

  const refresh = useCallback(async () => {
    await refresher.current?.refreshNow();
  }, []);

  const stopRefreshing = useCallback(() => refresher.current?.stop(), []);

  const adoptToken = useCallback(
    (mintedAt: number, expiresInSeconds: number, snapshot: TokenSnapshot) => {
      refresher.current?.adoptToken(mintedAt, expiresInSeconds, snapshot);
    },
    [],
  );

  const fetchWithSession = useCallback(async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await fetch(input, init);
    if (response.status !== 401) return response;
    await refresher.current?.refreshAfterUnauthorized();
    return fetch(input, init);
  }, []);

  const value = useMemo(
    () => ({
      userId,
      sessionId,
      token,
      tokenEvents,
      idleWarningDeadline,
      reconnecting,
      reportActivity,
      refresh,
      stopRefreshing,
      adoptToken,
      fetchWithSession,
    }),
    [
      userId,
      sessionId,
      token,
      tokenEvents,
      idleWarningDeadline,
      reconnecting,
      reportActivity,
      refresh,
      stopRefreshing,
      adoptToken,
      fetchWithSession,
    ],
  );
  return (
    <SessionContext.Provider value={value}>
      {children}
      <ReconnectingNotice />
      <IdleWarning />
    </SessionContext.Provider>
  );
}

/** Tells other tabs that this browser signed out; rendered on the sign-in page after a sign-out. */
export function SignedOutBroadcast() {
  useEffect(() => broadcastSignedOut(), []);
  return null;
}

export { monotonicNow };
