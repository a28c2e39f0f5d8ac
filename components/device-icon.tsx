import type { DeviceType } from "@/lib/device/user-agent";

const LABELS: Record<DeviceType, string> = {
  desktop: "Computer",
  mobile: "Phone",
  tablet: "Tablet",
  other: "Other device",
};

// Outline icons drawn for Tessera on a 24-unit grid.
const PATHS: Record<DeviceType, string> = {
  desktop: "M3 5h18v11H3z M8 20h8 M12 16v4",
  mobile: "M7 2h10v20H7z M11 18h2",
  tablet: "M4 3h16v18H4z M11 18h2",
  other:
    "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.5V14 M12 17h.01",
};

export function DeviceIcon({ type }: { type: DeviceType }) {
  return (
    <svg
      role="img"
      aria-label={LABELS[type]}
      viewBox="0 0 24 24"
      className="h-8 w-8 shrink-0 text-zinc-500 dark:text-zinc-400"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={PATHS[type]} />
    </svg>
  );
}
