"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

import { focusRing } from "./ui";

interface Section {
  href: string;
  label: string;
  adminOnly?: boolean;
}

const SECTIONS: Section[] = [
  { href: "/", label: "Home" },
  { href: "/account/security", label: "Devices" },
  { href: "/account/password", label: "Account" },
  { href: "/organization", label: "Organization" },
  { href: "/organization/members", label: "Members", adminOnly: true },
  { href: "/playground", label: "Access timeline" },
];

const sectionLink = `rounded-sm py-1 text-sm font-medium underline-offset-4 hover:underline ${focusRing}`;
// The current page is marked by weight and a permanent underline, not by colour alone.
const currentLink = `${sectionLink} text-zinc-900 underline decoration-2 dark:text-zinc-50`;
const otherLink = `${sectionLink} text-zinc-700 dark:text-zinc-300`;

/**
 * Renders the links between the signed-in sections, marking the current one with
 * `aria-current="page"`. `showMembers` follows the role in the session token; the members
 * page checks the role again itself.
 */
export function MainNavigation({ showMembers }: { showMembers: boolean }) {
  const pathname = usePathname();
  const sections = SECTIONS.filter((section) => showMembers || !section.adminOnly);
  return (
    <nav aria-label="Main">
      <ul className="flex flex-wrap items-center gap-x-4 gap-y-1">
        {sections.map((section) => {
          const current = pathname === section.href;
          return (
            <li key={section.href}>
              <Link
                href={section.href}
                aria-current={current ? "page" : undefined}
                className={current ? currentLink : otherLink}
              >
                {section.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
