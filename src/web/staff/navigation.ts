import { type Ability, can, type StaffUser } from "../../users/index.ts";

interface NavigationEntry {
  text: string;
  href: string;
  /** Shown only to those who may do this (users/abilities.ts); the routes check the same on the server. */
  ability?: Ability;
}

/** The back office's navigation, in order. Add an entry when an area's routes land. */
export const staffNavigationEntries: readonly NavigationEntry[] = [
  { text: "Work queue", href: "/staff/requests" },
  { text: "Log a request", href: "/staff/requests/new" },
  { text: "Inbox", href: "/staff/inbox" },
  { text: "Outbox", href: "/staff/outbox" },
  { text: "Feedback", href: "/staff/feedback" },
  { text: "Paragraph library", href: "/staff/paragraphs" },
  { text: "Statistics", href: "/staff/statistics", ability: "release-statistics" },
  { text: "Disclosure log", href: "/staff/publication", ability: "publish-reply" },
  { text: "Publication scheme", href: "/staff/publication-scheme", ability: "edit-publication-scheme" },
  { text: "Reports", href: "/staff/reports", ability: "read-reports" },
  { text: "Settings", href: "/staff/settings", ability: "manage-settings" },
  { text: "Keeping data", href: "/staff/retention", ability: "manage-retention" },
  { text: "Users", href: "/staff/users", ability: "manage-users" },
];

export interface NavigationItem {
  text: string;
  href: string;
  /** This very page (aria-current="page"). */
  current: boolean;
  /** A page inside this entry's area (aria-current="true"). */
  active: boolean;
}

/** The entries this user may see, the one for the current page marked (the longest matching link). */
export function staffNavigation(user: StaffUser | null, currentPath: string): NavigationItem[] {
  if (!user) return [];
  const visible = staffNavigationEntries.filter(
    (entry) => !entry.ability || can(user, entry.ability).allowed,
  );
  const matches = (href: string) => currentPath === href || currentPath.startsWith(`${href}/`);
  const current = visible
    .filter((entry) => matches(entry.href))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return visible.map((entry) => ({
    text: entry.text,
    href: entry.href,
    current: entry === current && currentPath === entry.href,
    active: entry === current && currentPath !== entry.href,
  }));
}
