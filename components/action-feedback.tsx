"use client";

import { createContext, useContext, useState } from "react";

/** The outcome of an action, shown in one live region. */
export interface ActionOutcome {
  message?: string;
  error?: string;
}

const FeedbackContext = createContext<(outcome: ActionOutcome) => void>(() => {});

/**
 * Shows the last outcome reported by any action inside it, above its children. Used where
 * an action removes the row that started it, so the row cannot show its own result.
 */
export function ActionFeedback({ children }: { children: React.ReactNode }) {
  const [outcome, setOutcome] = useState<ActionOutcome>({});
  return (
    <FeedbackContext.Provider value={setOutcome}>
      <div aria-live="polite">
        {outcome.error ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {outcome.error}
          </p>
        ) : null}
        {outcome.message ? (
          <p role="status" className="text-sm text-zinc-700 dark:text-zinc-300">
            {outcome.message}
          </p>
        ) : null}
      </div>
      {children}
    </FeedbackContext.Provider>
  );
}

/** Returns the function that reports an outcome to the nearest ActionFeedback. */
export function useActionFeedback(): (outcome: ActionOutcome) => void {
  return useContext(FeedbackContext);
}
