// One catalogue of the error codes Tessera returns in JSON bodies, each with one sentence
// for people. The HTTP status is chosen where the error is raised. Edge-safe.

export const ERROR_MESSAGES = {
  token_missing:
    "The session token is missing or expired. Refresh it with POST /api/auth/refresh, then retry.",
  signed_out: "You are signed out. Sign in to continue.",
  session_ended: "This session has ended. Sign in again to continue.",
  session_idle_timeout:
    "This session ended after a period of inactivity. Sign in again to continue.",
  session_absolute_timeout: "This session reached its maximum length. Sign in again to continue.",
  cross_site_request:
    "Cross-site requests are refused. Send this request from a page of this app, with its Origin header.",
  invalid_request_body: 'The request body must be empty or JSON such as {"activity": true}.',
  database_unavailable: "The database is unavailable. Try again in a moment.",
  no_organization:
    "This session has no active organization. Switch to one of your organizations, then retry.",
  role_required:
    "Your role in this organization does not allow this. Ask an admin of the organization for access.",
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export function errorBody(code: ErrorCode): ErrorBody {
  return { error: { code, message: ERROR_MESSAGES[code] } };
}
