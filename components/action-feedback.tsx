"use client";

import { createContext, useCallback, useContext, useEffect, useRef, useState } from "react";

import { focusRing, wrapAnywhere } from "./ui";

/** The outcome of an action, shown in one live region. */
export interface ActionOutcome {
  message?: string;
  error?: string;
}

export interface ReportOptions {
  /**
   * Moves keyboard focus to the message. Set it when the control that started the action is
   * gone or replaced, such as the row of a device that was signed out, so that focus does not
   * fall back to the page body.
   */
  focus?: boolean;
}

/** Function that shows an outcome in place of the previous one. An empty outcome clears it. */
export type ReportOutcome = (outcome: ActionOutcome, options?: ReportOptions) => void;

interface ShownOutcome extends ActionOutcome {
  /** Changes with every report, so that the same text reported twice is announced twice. */
  sequence: number;
  focus: boolean;
}

const FeedbackContext = createContext<ReportOutcome>(() => {});

/**
 * Shows the last outcome reported by any action inside it, above its children, in a live
 * region that can take focus. Used where an action removes the row that started it, so the
 * row cannot show its own result.
 */
export function ActionFeedback({
  children,
  testId,
}: {
  children: React.ReactNode;
  testId: string;
}) {
  const [shown, setShown] = useState<ShownOutcome>({ sequence: 0, focus: false });
  const regionRef = useRef<HTMLDivElement>(null);

  const report = useCallback<ReportOutcome>((outcome, options = {}) => {
    setShown((previous) => ({
      message: outcome.message,
      error: outcome.error,
      sequence: previous.sequence + 1,
      focus: options.focus ?? false,
    }));
  }, []);

  useEffect(() => {
    if (shown.focus && (shown.message || shown.error)) regionRef.current?.focus();
  }, [shown]);

  return (
    <FeedbackContext.Provider value={report}>
      {/* tabIndex -1 lets a script focus the region without adding it to the tab order. */}
      <div
        ref={regionRef}
        tabIndex={-1}
        aria-live="polite"
        data-testid={testId}
        className={`rounded-sm ${focusRing}`}
      >
        {shown.error ? (
          <p
            key={`error-${shown.sequence}`}
            role="alert"
            className={`text-sm text-red-700 dark:text-red-400 ${wrapAnywhere}`}
          >
            {shown.error}
          </p>
        ) : null}
        {shown.message ? (
          <p
            key={`message-${shown.sequence}`}
            role="status"
            className={`text-sm text-zinc-700 dark:text-zinc-300 ${wrapAnywhere}`}
          >
            {shown.message}
          </p>
        ) : null}
      </div>
      {children}
    </FeedbackContext.Provider>
  );
}

/** Returns the function that reports an outcome to the nearest ActionFeedback. */
export function useActionFeedback(): ReportOutcome {
  return useContext(FeedbackContext);
}
