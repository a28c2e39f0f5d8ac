// Shared Tailwind class lists, so buttons and fields look the same on every page.

/**
 * Keyboard focus outline. On the dark card (zinc 900) indigo 600 has a contrast of about 2.7:1,
 * below the 3:1 that WCAG 1.4.11 requires of a focus indicator, so dark mode uses indigo 400 (about
 * 5.7:1). Both ratios follow the WCAG formula on Tailwind 4.3's colour values.
 */
export const focusRing =
  "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:focus-visible:outline-indigo-400";

// A button that is busy keeps `aria-disabled` instead of `disabled`, because a browser moves
// focus away from a disabled button, to the page body, and a keyboard user loses their place.
const busy = "disabled:opacity-60 aria-disabled:cursor-wait aria-disabled:opacity-60";

export const primaryButton = `inline-flex items-center justify-center rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 ${busy} ${focusRing}`;

export const secondaryButton = `inline-flex items-center justify-center rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 ${busy} dark:border-zinc-700 dark:hover:bg-zinc-800 ${focusRing}`;

export const dangerButton = `inline-flex items-center justify-center rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 ${busy} dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950 ${focusRing}`;

/** A button that looks like a link, such as "Rename" or a disclosure's summary. */
export const linkButton = `rounded-sm text-sm font-medium text-indigo-700 underline-offset-4 hover:underline dark:text-indigo-300 ${focusRing}`;

export const textInput =
  "mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-zinc-900 shadow-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:focus:border-indigo-400 dark:focus:ring-indigo-400";

export const card =
  "rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900";

/**
 * Lets user text without spaces, such as a 60-character device name, wrap anywhere instead of
 * widening the page. `overflow-wrap: anywhere` also lowers the element's minimum width, which
 * `break-words` alone does not, so it wraps inside flex rows as well.
 */
export const wrapAnywhere = "break-words [overflow-wrap:anywhere]";
