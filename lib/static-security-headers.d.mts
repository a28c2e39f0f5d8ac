/** Security headers with the same value on every response, by header name. */
export declare const STATIC_SECURITY_HEADERS: Readonly<{
  "X-Content-Type-Options": string;
  "X-Frame-Options": string;
  "Referrer-Policy": string;
  "Permissions-Policy": string;
  "Cross-Origin-Opener-Policy": string;
}>;
