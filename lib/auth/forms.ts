// Input rules for the sign-up and sign-in forms, with one message per field.

import { z } from "zod";

export const MIN_PASSWORD_LENGTH = 10;
// Long enough for any passphrase or password manager, short enough that hashing it cannot
// be used to burn CPU.
export const MAX_PASSWORD_LENGTH = 256;

const email = z
  .string()
  .trim()
  .min(1, { error: "Enter your email address." })
  .max(254, { error: "Email addresses are at most 254 characters." })
  .pipe(z.email({ error: "Enter an email address like name@example.com." }));

export const signUpSchema = z.object({
  email,
  displayName: z
    .string()
    .trim()
    .min(1, { error: "Enter your name." })
    .max(80, { error: "Names are at most 80 characters." }),
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
