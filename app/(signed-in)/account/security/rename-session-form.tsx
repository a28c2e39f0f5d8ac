"use client";

import { useActionState, useEffect, useId, useRef, useState } from "react";

import { useActionFeedback } from "@/components/action-feedback";
import { primaryButton, secondaryButton, textInput } from "@/components/ui";

import { renameSessionAction, type DeviceActionState } from "./actions";

const toggleButton =
  "rounded-sm text-sm font-medium text-indigo-700 underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-indigo-300";

/**
 * Renders a "Name this device" or "Rename" button that opens an inline form for one session's
 * name. `labelId` is the id of the element with the session's name and device label, which
 * describes the button to assistive technology.
 */
export function RenameSessionForm(props: {
  sessionId: string;
  name: string | null;
  labelId: string;
  maxLength: number;
}) {
  const { sessionId, name, labelId, maxLength } = props;
  const showFeedback = useActionFeedback();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name ?? "");
  const [error, setError] = useState<string | undefined>(undefined);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const wasEditing = useRef(false);
  const inputId = useId();
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;

  // Focus moves into the form when it opens and back to its button when it closes.
  useEffect(() => {
    if (editing) inputRef.current?.focus();
    else if (wasEditing.current) toggleRef.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  const [, formAction, pending] = useActionState<DeviceActionState, FormData>(
    async (previous, form) => {
      const result = await renameSessionAction(previous, form);
      if (result.error) {
        setError(result.error);
        return result;
      }
      setEditing(false);
      if (result.message) showFeedback(result);
      return result;
    },
    {},
  );

  function open() {
    setValue(name ?? "");
    setError(undefined);
    setEditing(true);
  }

  if (!editing) {
    return (
      <button
        ref={toggleRef}
        type="button"
        className={toggleButton}
        aria-describedby={labelId}
        onClick={open}
      >
        {name ? "Rename" : "Name this device"}
      </button>
    );
  }

  return (
    <form
      action={formAction}
      className="max-w-sm space-y-2"
      noValidate
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          setEditing(false);
        }
      }}
    >
      <input type="hidden" name="sessionId" value={sessionId} />
      <div>
        <label htmlFor={inputId} className="block text-sm font-medium">
          Device name
        </label>
        <input
          ref={inputRef}
          id={inputId}
          name="name"
          type="text"
          autoComplete="off"
          value={value}
          onChange={(event) => setValue(event.target.value)}
          placeholder="Work laptop"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${errorId} ${hintId}` : hintId}
          className={textInput}
        />
        <p id={hintId} className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Up to {maxLength} characters. Leave it empty to remove the name.
        </p>
        {error ? (
          <p id={errorId} role="alert" className="mt-1 text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        ) : null}
      </div>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={primaryButton} disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </button>
        <button type="button" className={secondaryButton} onClick={() => setEditing(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
