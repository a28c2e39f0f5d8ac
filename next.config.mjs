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
};

export default nextConfig;
