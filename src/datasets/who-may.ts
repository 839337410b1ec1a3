import { DomainError } from "../errors.ts";
import type { Actor } from "../requests/index.ts";

// Who may do what with datasets: the roles each job asks for.

/** Who builds and releases tables: case officers and managers (there is no analyst role). */
export const releasers = ["officer", "manager", "admin"] as const;
/** Who imports datasets and sets release policies: the authority's decision, so managers. */
export const policyEditors = ["manager", "admin"] as const;

/** Who imports: managers on the web, and the command line, run by whoever runs the server. */
export const importers = [...policyEditors, "system"] as const;

export function requireRole(actor: Actor, roles: readonly string[], what: string): void {
  if (!roles.includes(actor.role)) throw new DomainError("forbidden", `Only ${what}.`);
}
