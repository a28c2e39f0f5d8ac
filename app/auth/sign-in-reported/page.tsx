import type { Metadata } from "next";
import Link from "next/link";

import { primaryButton, secondaryButton } from "@/components/ui";
import { firstParam, type SearchParams } from "@/lib/search-params";

export const metadata: Metadata = { title: "Sign-in reported", referrer: "no-referrer" };

const OUTCOMES: Record<string, { title: string; text: string }> = {
  revoked: {
    title: "That device is signed out",
    text: "Whoever signed in knew your password. Change it now: changing it also signs out every other device.",
  },
  already_ended: {
    title: "That session had already ended",
    text: "Nobody can use it any more. If you did not sign in, change your password anyway, because whoever did knew it.",
  },
  prefetch: {
    title: "Open the link to sign the device out",
    text: "Your browser or mail app loaded this page in advance, so nothing was changed. Open the link from the message again.",
  },
  invalid: {
    title: "This link is not valid",
    text: "Copy the whole link from the message. To sign out a device you do not recognise, open your devices page.",
  },
};

export default async function SignInReportedPage(props: { searchParams: Promise<SearchParams> }) {
  const result = firstParam((await props.searchParams).result) ?? "invalid";
  const outcome = OUTCOMES[result] ?? OUTCOMES.invalid!;
  return (
    <section className="mx-auto max-w-prose space-y-4" data-report-result={result}>
      <h1 className="text-2xl font-semibold tracking-tight">{outcome.title}</h1>
      <p>{outcome.text}</p>
      <div className="flex flex-wrap gap-3">
        <Link href="/account/password" className={primaryButton}>
          Change your password
        </Link>
        <Link href="/account/security" className={secondaryButton}>
          Review your devices
        </Link>
      </div>
    </section>
  );
}
