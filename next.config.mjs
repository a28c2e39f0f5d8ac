import { STATIC_SECURITY_HEADERS } from "./lib/static-security-headers.mjs";

// High-entropy client hints that Chromium sends only to a server that asked for them. The
// sign-in and sign-up pages ask, so the form posts that create a session carry them: the
// platform version separates Windows 11 from Windows 10.
const ACCEPT_CLIENT_HINTS = [
  "Sec-CH-UA-Platform-Version",
  "Sec-CH-UA-Model",
  "Sec-CH-UA-Full-Version-List",
].join(", ");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its WebAssembly and data files relative to its own package, which breaks
  // when the server bundle inlines it.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pino"],
  // Keep `next dev` from writing agent instruction files into the repository.
  agentRules: false,
  experimental: {
    agentUpgrade: false,
  },
  poweredByHeader: false,
  async headers() {
    const clientHintPages = ["/sign-in", "/sign-up"].map((source) => ({
      source,
      headers: [{ key: "Accept-CH", value: ACCEPT_CLIENT_HINTS }],
    }));
    // Every path, so that static files, which middleware skips, carry them too. Middleware
    // sets the per-request headers (Content-Security-Policy, HSTS, Cache-Control).
    const everyPath = {
      source: "/:path*",
      headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })),
    };
    return [everyPath, ...clientHintPages];
  },
};

export default nextConfig;
