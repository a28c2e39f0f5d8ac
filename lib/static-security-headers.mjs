// Security headers whose values are the same for every response. next.config.mjs applies them
// to every path, including the static files that middleware skips, and middleware sets them
// again through lib/security-headers.ts. This is a JavaScript module because Node loads
// next.config.mjs without compiling TypeScript.

/** @type {Readonly<Record<string, string>>} */
export const STATIC_SECURITY_HEADERS = Object.freeze({
  // A response is used only as its declared Content-Type, so a JSON body never runs as a script.
  "X-Content-Type-Options": "nosniff",
  // Browsers that ignore the CSP `frame-ancestors` directive still refuse to frame any page.
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  // A window opened from another site cannot reach Tessera's window through `window.opener`.
  "Cross-Origin-Opener-Policy": "same-origin",
});
