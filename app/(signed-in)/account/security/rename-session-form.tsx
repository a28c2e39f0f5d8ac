"use client";

import { useActionState, useEffect, useId, useRef, useState } from "react";

import {
  linkButton,
  primaryButton,
  secondaryButton,
  textInput,
  wrapAnywhere,
} from "@/components/ui";

import { renameSessionAction, type DeviceActionState } from "./actions";
import { useDeviceActionFeedback } from "./device-action-feedback";

/**
 * Renders a "Name this device" or "Rename" button that opens an inline form for one session's
 * name. `describedBy` lists the ids of the elements that tell this session apart (its name,
 * device label, place and sign-in time), which describe the button to assistive technology.
 */
export function RenameSessionForm(props: {
  sessionId: string;
  name: string | null;
  describedBy: string;
  maxLength: number;
}) {
  const { sessionId, name, describedBy, maxLength } = props;
  const report = useDeviceActionFeedback();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name ?? "");
  // The sequence changes with every rejection, so the same message is announced again.
  const [error, setError] = useState<{ text: string; sequence: number } | undefined>(undefined);
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
        // A success message of an earlier action would otherwise stay beside this error.
        report({});
        const text = result.error;
        setError((previous) => ({ text, sequence: (previous?.sequence ?? 0) + 1 }));
        // Focus returns to the field, so the person can correct the name and Escape still
        // closes the form.
        inputRef.current?.focus();
        return result;
      }
      setEditing(false);
      report(result);
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
        className={linkButton}
        aria-describedby={describedBy}
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
      onSubmit={(event) => {
        if (pending) event.preventDefault();
      }}
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
          <p
            key={error.sequence}
            id={errorId}
            role="alert"
            className={`mt-1 text-sm text-red-700 dark:text-red-400 ${wrapAnywhere}`}
          >
            {error.text}
          </p>
        ) : null}
      </div>
      <div className="flex flex-wrap gap-2">
        {/* Not `disabled` while saving: a disabled button loses focus to the page body. */}
        <button type="submit" className={primaryButton} aria-disabled={pending || undefined}>
          {pending ? "Saving…" : "Save"}
        </button>
        <button type="button" className={secondaryButton} onClick={() => setEditing(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
