import "server-only";

import { hash, verify, type Algorithm } from "@node-rs/argon2";

// OWASP Password Storage Cheat Sheet (2024), argon2id: 19 MiB of memory, 2 iterations,
// parallelism 1.
// `Algorithm` is an ambient const enum, which isolated modules cannot read at runtime.
const ARGON2ID = 2 as Algorithm.Argon2id;

const ARGON2_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password);
}

// Hash of a random, discarded password, made once with ARGON2_OPTIONS. It is a constant so
// that even the first unknown-email sign-in of a process costs exactly one verification.
// Regenerate it whenever ARGON2_OPTIONS change, or unknown emails would return faster.
const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$dkRM+XPjWQazDlrM11XThQ$Q0UCa0kVQY9bLDKhzxAkXgEBrAZjnuGH7+D+rGdlVFE";

/**
 * Spends the same time as checking a real password, so a sign-in with an unknown email
 * returns no faster than one with a wrong password and does not reveal which emails exist.
 */
export async function verifyAgainstDummyHash(password: string): Promise<void> {
  await verify(DUMMY_HASH, password);
}
