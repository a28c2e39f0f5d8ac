export function generateSigningKeyEnv(): { TOKEN_SIGNING_KEY: string; TOKEN_PUBLIC_KEYS: string };
export function toDotenv(variables: Record<string, string>): string;
