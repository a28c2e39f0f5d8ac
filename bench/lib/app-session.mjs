// Cookies of a seeded session, as a browser signed in to the benchmark server would send them.

// The servers run with SECURE_COOKIES=true, as in production, so the names carry `__Host-`.
export const SESSION_COOKIE = "__Host-tessera_session";
export const TOKEN_COOKIE = "__Host-tessera_token";

/** Headers of a same-origin fetch from a page, which the refresh endpoint requires. */
export const SAME_ORIGIN_HEADERS = {
  "sec-fetch-site": "same-origin",
  "content-type": "application/json",
};

/**
 * Mints a token for a session through the app's own refresh endpoint and returns it. This
 * also proves that the harness stored the secret's hash the way the app computes it.
 */
export async function mintTokenThroughApp(baseUrl, secret) {
  const response = await fetch(`${baseUrl}/api/auth/refresh`, {
    method: "POST",
    headers: { ...SAME_ORIGIN_HEADERS, cookie: `${SESSION_COOKIE}=${secret}` },
    body: JSON.stringify({ activity: true }),
  });
  if (!response.ok) {
    throw new Error(
      `Refreshing the seeded session failed with ${response.status}: ${await response.text()}. ` +
        "The seeded secret hash no longer matches lib/auth/secret.ts, or the schema changed.",
    );
  }
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(";");
    const [name, ...value] = pair.split("=");
    if (name === TOKEN_COOKIE) return value.join("=");
  }
  throw new Error(`The refresh response set no ${TOKEN_COOKIE} cookie.`);
}

/** Builds a Cookie header from name-value pairs. */
export function cookieHeader(cookies) {
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");
}

/** Sends one request and throws unless it gets a 2xx, so a broken mode fails before it is measured. */
export async function checkRequest(baseUrl, request) {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method ?? "GET",
    headers: request.headers,
    body: request.body,
    redirect: "manual",
  });
  if (response.status < 200 || response.status > 299) {
    const text = (await response.text()).slice(0, 300);
    throw new Error(
      `${request.method ?? "GET"} ${request.path} returned ${response.status}: ${text}`,
    );
  }
}
