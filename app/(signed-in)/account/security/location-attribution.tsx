import { locationAttribution } from "@/lib/device/location";

/**
 * Renders the credit line that the configured location database requires wherever its
 * locations are shown. Renders nothing when the source needs none.
 */
export function LocationAttribution({ className = "" }: { className?: string }) {
  const attribution = locationAttribution();
  if (!attribution) return null;
  return (
    <p
      data-testid="location-attribution"
      className={`text-xs text-zinc-600 dark:text-zinc-400 ${className}`}
    >
      <a
        href={attribution.href}
        className="rounded-sm underline underline-offset-2 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:hover:text-zinc-100"
      >
        {attribution.text}
      </a>
    </p>
  );
}
