import { describeNewSignIn, type NewSignInFlags } from "@/lib/security-event-text";

/**
 * Renders a badge such as "New device" for a sign-in from a device or country that the user had
 * never signed in from. Renders nothing when neither was new.
 */
export function NewSignInBadge({ flags, testId }: { flags: NewSignInFlags; testId: string }) {
  const text = describeNewSignIn(flags);
  if (!text) return null;
  return (
    <span
      data-testid={testId}
      className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-amber-900 dark:bg-amber-900 dark:text-amber-100"
    >
      {text}
    </span>
  );
}
