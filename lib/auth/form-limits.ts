// Length limits of the form fields, for client components too. This module must not import
// zod: zod 4 probes for eval with `new Function` when a schema is built, and the page's
// Content-Security-Policy reports that probe as a violation.

export const MIN_PASSWORD_LENGTH = 10;
// Long enough for any passphrase or password manager, short enough that hashing it cannot
// be used to burn CPU.
export const MAX_PASSWORD_LENGTH = 256;
export const MAX_DISPLAY_NAME_LENGTH = 80;
