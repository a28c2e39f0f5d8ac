import { NextResponse } from "next/server";
import { generateKeyPair, jwtVerify, SignJWT } from "jose";

// Benchmark only: checks which signing algorithms jose can verify inside the Edge runtime of
// this Next.js version (the runtime middleware.ts runs on), and how long one verification
// takes there. Keys are generated per request, so the route stores nothing. It responds 404
// unless TESSERA_BENCH_ROUTES=1, so a normal deployment exposes nothing here.

export const runtime = "edge";
export const dynamic = "force-dynamic";

const ALGORITHMS = ["ES256", "EdDSA", "RS256"] as const;
const VERIFICATIONS = 200;

interface AlgorithmCheck {
  algorithm: (typeof ALGORITHMS)[number];
  supported: boolean;
  tokenLength?: number;
  /** Mean wall time of one jwtVerify with the key imported once, in microseconds. */
  verifyMicroseconds?: number;
  error?: string;
}

export async function GET() {
  // Read by its literal name: the Edge runtime exposes only variables referenced statically.
  if (process.env.TESSERA_BENCH_ROUTES !== "1") {
    return new NextResponse(null, { status: 404, headers: { "Cache-Control": "no-store" } });
  }
  const checks: AlgorithmCheck[] = [];
  for (const algorithm of ALGORITHMS) checks.push(await checkAlgorithm(algorithm));
  return NextResponse.json(
    { runtime: "edge", verifications: VERIFICATIONS, checks },
    { headers: { "Cache-Control": "no-store" } },
  );
}

async function checkAlgorithm(algorithm: AlgorithmCheck["algorithm"]): Promise<AlgorithmCheck> {
  try {
    const { privateKey, publicKey } = await generateKeyPair(algorithm);
    const now = Math.floor(Date.now() / 1000);
    // The claims of a Tessera token with an organization, with made-up ids of the same length.
    const token = await new SignJWT({
      sid: "5f0c3a4e-8d6b-4c1a-9e2f-7b3d5a1c9e08",
      auth_time: now,
      org_id: "0b6e2d4f-3c5a-4e7b-8f1d-2a9c6e3b5d17",
      org_role: "member",
    })
      .setProtectedHeader({ alg: algorithm, kid: "k".repeat(43), typ: "JWT" })
      .setIssuer("tessera")
      .setSubject("9a1d7c3e-2b5f-4d8a-b6e0-4c2f8a7d1e93")
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 60)
      .sign(privateKey);

    await jwtVerify(token, publicKey, { algorithms: [algorithm] });
    const started = performance.now();
    for (let index = 0; index < VERIFICATIONS; index += 1) {
      await jwtVerify(token, publicKey, { algorithms: [algorithm] });
    }
    const elapsed = performance.now() - started;
    return {
      algorithm,
      supported: true,
      tokenLength: token.length,
      verifyMicroseconds: Math.round((elapsed * 1000) / VERIFICATIONS),
    };
  } catch (error) {
    return { algorithm, supported: false, error: String(error) };
  }
}
