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
    return ["/sign-in", "/sign-up"].map((source) => ({
      source,
      headers: [{ key: "Accept-CH", value: ACCEPT_CLIENT_HINTS }],
    }));
  },
};

export default nextConfig;
