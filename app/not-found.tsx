import Link from "next/link";

export default function NotFound() {
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Page not found</h1>
      <p>There is no page at this address. Check the link, or go to one of these pages:</p>
      <ul className="list-inside list-disc space-y-1">
        <li>
          <Link href="/account/security" className="underline">
            Your devices
          </Link>
        </li>
        <li>
          <Link href="/" className="underline">
            Home
          </Link>
        </li>
      </ul>
    </section>
  );
}
