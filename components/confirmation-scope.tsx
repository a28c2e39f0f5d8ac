"use client";

import { createContext, useCallback, useContext, useState } from "react";

type OpenConfirmation = [string | null, React.Dispatch<React.SetStateAction<string | null>>];

const ScopeContext = createContext<OpenConfirmation | null>(null);

/**
 * Keeps at most one confirmation inside it open: opening one closes any other. Two open
 * questions on one page leave it unclear which one Enter or Escape answers.
 */
export function ConfirmationScope({ children }: { children: React.ReactNode }) {
  const openConfirmation = useState<string | null>(null);
  return <ScopeContext.Provider value={openConfirmation}>{children}</ScopeContext.Provider>;
}

/**
 * Returns whether the confirmation `id` is open and a function that opens or closes it.
 * `id` must be unique within the nearest ConfirmationScope. Outside a scope the confirmation
 * keeps its own state.
 */
export function useConfirmation(id: string): [boolean, (open: boolean) => void] {
  const scope = useContext(ScopeContext);
  const [ownOpen, setOwnOpen] = useState(false);
  const setScopeOpen = scope?.[1];
  const setOpen = useCallback(
    (open: boolean) => {
      if (!setScopeOpen) {
        setOwnOpen(open);
        return;
      }
      setScopeOpen((current) => {
        if (open) return id;
        // Closing leaves another confirmation alone, which may have opened since this one did.
        return current === id ? null : current;
      });
    },
    [id, setScopeOpen],
  );
  return [scope ? scope[0] === id : ownOpen, setOpen];
}
