import { focusRing } from "@/components/ui";
import { locationAttribution } from "@/lib/device/location";

/**
 * Renders the credit line that the configured location database requires on a page that shows
 * its locations. Renders nothing when the source needs none.
 */
export function LocationAttribution() {
  const attribution = locationAttribution();
  if (!attribution) return null;
  return (
    <p data-testid="location-attribution" className="text-xs text-zinc-600 dark:text-zinc-400">
      <a
        href={attribution.href}
        className={`rounded-sm underline underline-offset-2 hover:text-zinc-900 dark:hover:text-zinc-100 ${focusRing}`}
      >
        {attribution.text}
      </a>
    </p>
  );
}
