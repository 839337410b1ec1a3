import type { Kysely } from "kysely";
import type { Database, Jurisdiction } from "../../db/index.ts";
import { isScottishAuthority, regimeFor as lawRegimeFor, regimeRule } from "../../law/index.ts";
import type { RequestRegime } from "../../requests/index.ts";
import * as repo from "./repo.ts";

/** The authority as the public pages describe it: who they are asking, and under which law. */
export interface PublicAuthority {
  name: string;
  email: string;
  phone: string;
  address: string;
  jurisdiction: Jurisdiction;
  scottish: boolean;
}

export async function publicAuthority(db: Kysely<Database>, fallbackName: string): Promise<PublicAuthority> {
  const row = await repo.authorityForPublic(db);
  const jurisdiction = row.jurisdiction;
  return {
    name: row.name || fallbackName,
    email: row.email,
    phone: row.phone,
    address: row.address,
    jurisdiction,
    scottish: isScottishAuthority(jurisdiction),
  };
}

/** The routes into making a request, as the start page offers them. */
export const requestRoutes = ["foi", "eir", "sar"] as const;
export type RequestRoute = (typeof requestRoutes)[number];

/**
 * A Scottish public authority answers freedom of information requests under FOISA and environmental ones
 * under the Environmental Information (Scotland) Regulations 2004 (FOISA s.39(2), s.62).
 */
export function regimeFor(route: RequestRoute, authority: Pick<PublicAuthority, "scottish">): RequestRegime {
  return lawRegimeFor(route, authority.scottish) as RequestRegime;
}

/** The law each route is made under, in words for the public. */
export function lawFor(route: RequestRoute, authority: Pick<PublicAuthority, "scottish">): string {
  const law = regimeRule(regimeFor(route, authority))!.law.title;
  return route === "sar" ? `${law} (right of access)` : law;
}

/** Who to complain to after an internal review. */
export function regulatorFor(authority: Pick<PublicAuthority, "scottish">, route: RequestRoute) {
  // The Scottish Information Commissioner decides FOISA and EISR appeals; personal data is the ICO's everywhere.
  return regimeRule(regimeFor(route, authority))!.regulator === "sic"
    ? { name: "Scottish Information Commissioner", url: "https://www.foi.scot/appeal" }
    : { name: "Information Commissioner's Office", url: "https://ico.org.uk/make-a-complaint/" };
}
