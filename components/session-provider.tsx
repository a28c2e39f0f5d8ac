"use client";

import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";

import { broadcastSignedOut, TokenRefresher } from "@/lib/client/token-refresh";

export interface ClientSession {
  userId: string;
  sessionId: string;
  /** `monotonicNow()` time at which the current token expires, or null before the first refresh. */
  tokenExpiresAt: number | null;
  /** Refreshes the token now, for example after a request came back 401. */
  refresh(): Promise<void>;
  /**
   * `fetch` for this app's API: on a 401 it refreshes the token once and retries, so a tab
   * that slept past its token's lifetime recovers without a sign-in.
   */
  fetchWithSession(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
}

const SessionContext = createContext<ClientSession | null>(null);

/** Returns the signed-in session of the current page; throws outside the signed-in layout. */
export function useSession(): ClientSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession() must be used inside <SessionProvider>.");
  return session;
}

export function SessionProvider(props: {
  userId: string;
  sessionId: string;
  initialExpiresIn: number;
  children: React.ReactNode;
}) {
  const { userId, sessionId, initialExpiresIn, children } = props;
  const refresher = useRef<TokenRefresher | null>(null);
  const [tokenExpiresAt, setTokenExpiresAt] = useState<number | null>(null);

  useEffect(() => {
    const instance = new TokenRefresher({
      initialExpiresIn,
      onRefreshed: setTokenExpiresAt,
      onSignedOut: () => window.location.assign("/sign-in?reason=session_ended"),
    });
    refresher.current = instance;
    instance.start();
    return () => instance.stop();
    // One refresher per signed-in session; later renders must not restart it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sessionId]);

  const refresh = useCallback(async () => {
    await refresher.current?.refreshNow();
  }, []);

  const fetchWithSession = useCallback(
    async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await fetch(input, init);
      if (response.status !== 401) return response;
      await refresh();
      return fetch(input, init);
    },
    [refresh],
  );

  const value = useMemo(
    () => ({ userId, sessionId, tokenExpiresAt, refresh, fetchWithSession }),
    [userId, sessionId, tokenExpiresAt, refresh, fetchWithSession],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** Tells other tabs that this browser signed out; rendered on the sign-in page after a sign-out. */
export function SignedOutBroadcast() {
  useEffect(() => broadcastSignedOut(), []);
  return null;
}
