import { card } from "./ui";

// Grey blocks that pulse unless the person asked for reduced motion. Zinc 200 and 800 stand out
// from the light and dark page and card backgrounds alike.
const placeholder = "rounded-md bg-zinc-200 motion-safe:animate-pulse dark:bg-zinc-800";

/**
 * Fallback of a signed-in page while its server component reads the database, for the
 * `loading.tsx` files. `label`, such as "Loading devices…", is the only text, announced
 * through the status role in place of the line below the heading. Grey blocks take the place
 * of the heading and of `rows` list cards, so the page moves little when the content arrives.
 */
export function PageLoading({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <section className="space-y-6" data-testid="page-loading">
      <div className="space-y-1">
        {/* As tall as a text-2xl heading's line, followed by the line below the heading. */}
        <div className={`h-8 w-56 max-w-full ${placeholder}`} aria-hidden="true" />
        <p role="status" aria-live="polite" className="text-sm text-zinc-600 dark:text-zinc-400">
          {label}
        </p>
      </div>
      <ul className="space-y-3" aria-hidden="true">
        {Array.from({ length: rows }, (_, index) => (
          <li key={index} className={`${card} flex gap-4`}>
            <div className={`h-8 w-8 shrink-0 ${placeholder}`} />
            <div className="min-w-0 flex-1 space-y-2">
              <div className={`h-4 w-2/3 ${placeholder}`} />
              <div className={`h-3 w-1/2 ${placeholder}`} />
              <div className={`h-3 w-1/3 ${placeholder}`} />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
