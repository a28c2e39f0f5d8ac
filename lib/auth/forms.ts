// Input rules for the sign-up and sign-in forms, with one message per field.

import { z } from "zod";

import { MAX_DISPLAY_NAME_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./form-limits";

// Client components import the limits from ./form-limits, which has no zod.
export { MAX_DISPLAY_NAME_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH };

// Control characters, invisible spaces and text-direction marks. A name containing U+202E can
// make the text after it, such as an email address, display reversed. Bidi_Control covers
// every direction mark and override, U+061C (Arabic letter mark) included. Zero-width joiners
// (U+200C, U+200D) stay allowed because several scripts and emoji need them.
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Bidi_Control}\u200B\u2060-\u2064\uFEFF]/u;

// A user-perceived character of a name is at most a few UTF-16 code units, except for long
// emoji sequences and stacked combining marks. Allowing four per character on average keeps
// every name of ordinary text and emoji, and bounds what one name can store.
const CODE_UNITS_PER_CHARACTER = 4;

/**
 * Counts the user-perceived characters (extended grapheme clusters) of `value`, so an emoji
 * sequence joined with U+200D, a flag or a letter with combining accents counts as one. Stops
 * counting past `limit`, so a long value costs no more than the check needs.
 */
export function countCharacters(value: string, limit = Infinity): number {
  const segments = new Intl.Segmenter("en", { granularity: "grapheme" })
    .segment(value)
    [Symbol.iterator]();
  let count = 0;
  while (count <= limit && !segments.next().done) count += 1;
  return count;
}

/**
 * Builds the schema of a short visible name. The name is trimmed and normalized to NFC, so an
 * accented letter typed as one code point or as a letter plus a combining accent counts and
 * compares the same. It needs 1 to `maxLength` user-perceived characters, at most
 * `maxCodeUnits` UTF-16 code units, and no hidden characters.
 */
export function visibleName(
  label: string,
  maxLength: number,
  maxCodeUnits = maxLength * CODE_UNITS_PER_CHARACTER,
) {
  return (
    z
      .string()
      .trim()
      .normalize("NFC")
      .min(1, { error: `Enter ${label}.` })
      .refine((value) => countCharacters(value, maxLength) <= maxLength, {
        error: `Use at most ${maxLength} characters.`,
      })
      // `.max()` would count code points, not UTF-16 code units, in zod 4.6.
      .refine((value) => value.length <= maxCodeUnits, {
        error: "The name is too long to store. Use fewer accents, symbols or emoji.",
      })
      .refine((value) => !HIDDEN_CHARACTERS.test(value), {
        error: "Remove invisible or text-direction characters.",
      })
  );
}

const email = z
  .string()
  .trim()
  .min(1, { error: "Enter your email address." })
  .max(254, { error: "Email addresses are at most 254 characters." })
  .pipe(z.email({ error: "Enter an email address like name@example.com." }));

export const signUpSchema = z.object({
  email,
  displayName: visibleName("your name", MAX_DISPLAY_NAME_LENGTH),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, {
      error: `Use at least ${MIN_PASSWORD_LENGTH} characters for your password.`,
    })
    .max(MAX_PASSWORD_LENGTH, {
      error: `Passwords are at most ${MAX_PASSWORD_LENGTH} characters.`,
    }),
});

// Sign-in checks only shape, never the sign-up rules: an account created under older rules
// must still be able to sign in, and a rule message would hint at why a guess failed.
export const signInSchema = z.object({
  email,
  password: z
    .string()
    .min(1, { error: "Enter your password." })
    .max(MAX_PASSWORD_LENGTH, {
      error: `Passwords are at most ${MAX_PASSWORD_LENGTH} characters.`,
    }),
});

const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, {
    error: `Use at least ${MIN_PASSWORD_LENGTH} characters for your password.`,
  })
  .max(MAX_PASSWORD_LENGTH, { error: `Passwords are at most ${MAX_PASSWORD_LENGTH} characters.` });

export const passwordChangeSchema = z
  .object({
    currentPassword: z
      .string()
      .min(1, { error: "Enter your current password." })
      .max(MAX_PASSWORD_LENGTH, {
        error: `Passwords are at most ${MAX_PASSWORD_LENGTH} characters.`,
      }),
    newPassword,
  })
  .refine((input) => input.currentPassword !== input.newPassword, {
    error: "Choose a new password that differs from the current one.",
    path: ["newPassword"],
  });

export type PasswordChangeInput = z.infer<typeof passwordChangeSchema>;

export type SignUpInput = z.infer<typeof signUpSchema>;
export type SignInInput = z.infer<typeof signInSchema>;

export type FieldErrors<T> = Partial<Record<keyof T, string>>;

/** Returns the first message for each invalid field. */
export function fieldErrorsOf<T>(error: z.ZodError<T>): FieldErrors<T> {
  const errors: FieldErrors<T> = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as keyof T | undefined;
    if (field !== undefined && errors[field] === undefined) errors[field] = issue.message;
  }
  return errors;
}
