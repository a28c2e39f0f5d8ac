// Input rules for the sign-up and sign-in forms, with one message per field.

import { z } from "zod";

export const MIN_PASSWORD_LENGTH = 10;
// Long enough for any passphrase or password manager, short enough that hashing it cannot
// be used to burn CPU.
export const MAX_PASSWORD_LENGTH = 256;

// Control characters, invisible spaces and text-direction overrides: a name containing
// U+202E can make the text after it, such as an email address, display reversed. Zero-width
// joiners (U+200C, U+200D) stay allowed because several scripts and emoji need them.
const HIDDEN_CHARACTERS =
  /[\p{Cc}\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;

/** Builds the schema of a short visible name: trimmed, 1 to `maxLength` characters, no hidden characters. */
export function visibleName(label: string, maxLength: number) {
  return z
    .string()
    .trim()
    .min(1, { error: `Enter ${label}.` })
    .max(maxLength, { error: `Use at most ${maxLength} characters.` })
    .refine((value) => !HIDDEN_CHARACTERS.test(value), {
      error: "Remove invisible or text-direction characters.",
    });
}

export const MAX_DISPLAY_NAME_LENGTH = 80;

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
