import { z } from "zod";
import { invalid, parseInput } from "../errors.ts";
import type { Dataset } from "./dataset.ts";
import { protectWithReleases, type Release, type ReleaseDecision } from "./differencing.ts";
import type { HierarchySpec } from "./hierarchy.ts";
import { type ProtectedTable, protectTable } from "./protect.ts";
import { type RoundedTable, roundTable } from "./rounding.ts";
import type { PrimaryRule } from "./rules.ts";
import type { LpSolver } from "./solver.ts";
import { buildTable, type DimensionSpec } from "./table.ts";

// Exemption ids as the law module's catalogue spells them ("foia-31-1-a"); kept as strings here because
// statistics depends on nothing but a solver.
const exemptionId = z
  .string()
  .regex(/^(foia|eir|foisa|eisr)-[0-9a-z-]+$/, 'an exemption id such as "foia-31-1-a"');

/**
 * What a refusal by the policy argues, for the refusal notice (FOIA s.17(1)(c), s.17(3)): the harm test —
 * the interest protected and how likely the harm — and the public-interest test already weighed. Optional:
 * the reply editor asks for whatever the policy does not state.
 */
const refusalArguments = {
  harm: z
    .object({ interest: z.string().min(1), likelihood: z.enum(["would", "would-be-likely-to"]) })
    .optional(),
  publicInterest: z
    .object({
      favouringDisclosure: z.array(z.string().min(1)).default([]),
      favouringWithholding: z.array(z.string().min(1)).default([]),
      balance: z.string().default(""),
    })
    .optional(),
};
type RefusalArguments = {
  harm?: { interest: string; likelihood: "would" | "would-be-likely-to" } | undefined;
  publicInterest?:
    | { favouringDisclosure: string[]; favouringWithholding: string[]; balance: string }
    | undefined;
};

const hierarchyChildren: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.array(z.string()), z.record(z.string(), z.union([z.string(), hierarchyChildren]))]),
);

/**
 * A dataset's release policy: what may be released, what is refused and why (the exemption and the reason
 * text a refusal notice reuses), and the disclosure-control rules every released table passes.
 */
export const releasePolicySchema = z
  .object({
    dataset: z.string().min(1),
    /** The dataset's dimensions the policy speaks for. */
    dimensions: z.array(z.string().min(1)).min(1),
    /** Combinations that may be released: a request for any subset of one is allowed. Empty: any. */
    allowed: z.array(z.array(z.string().min(1)).min(1)).default([]),
    /** A table using all of these dimensions is refused, citing the exemptions, with this reason. */
    restricted: z
      .array(
        z.object({
          dimensions: z.array(z.string().min(1)).min(1),
          exemptions: z.array(exemptionId).min(1),
          reason: z.string().min(1),
          ...refusalArguments,
        }),
      )
      .default([]),
    /** Hierarchies for dimensions, in the `--hierarchy` JSON format. */
    hierarchies: z.record(z.string(), z.record(z.string(), hierarchyChildren)).default({}),
    /**
     * Categories released only as groups, per dimension (e.g. ages as "0-17" and "18+"): a group label and the
     * categories it joins. A policy that changes its groups is what a differencing attack compares.
     */
    groups: z.record(z.string(), z.record(z.string().min(1), z.array(z.string().min(1)).min(1))).default({}),
    /** The frequency rule: counts from 1 to this are unsafe. */
    threshold: z.number().int().positive().optional(),
    /** Protection either side of an unsafe count, % of its value (tau-Argus's frequency range). */
    rangePercent: z.number().positive().max(100).optional(),
    zeros: z.enum(["show", "hide"]).default("show"),
    /** For magnitude tables: a measure, and the dominance (n,k) and p% rules. */
    measure: z.string().min(1).optional(),
    dominance: z.object({ n: z.number().int().positive(), k: z.number().positive().max(100) }).optional(),
    pPercent: z.number().positive().max(100).optional(),
    /** Round instead of suppressing. */
    rounding: z
      .object({ base: z.number().int().min(2), method: z.enum(["nearest", "controlled"]) })
      .optional(),
    method: z.enum(["optimal", "heuristic", "auto"]).default("auto"),
    /** Cited when a table cannot be released safely at all (differencing with earlier releases). */
    unreleasable: z
      .object({ exemptions: z.array(exemptionId), reason: z.string().min(1), ...refusalArguments })
      .optional(),
  })
  .superRefine((policy, context) => {
    const known = new Set(policy.dimensions);
    const check = (names: readonly string[], path: (string | number)[]) => {
      for (const name of names)
        if (!known.has(name))
          context.addIssue({
            code: "custom",
            path,
            message: `"${name}" is not one of the policy's dimensions`,
          });
    };
    policy.allowed.forEach((combination, index) => {
      check(combination, ["allowed", index]);
    });
    policy.restricted.forEach((entry, index) => {
      check(entry.dimensions, ["restricted", index, "dimensions"]);
    });
    check(Object.keys(policy.hierarchies), ["hierarchies"]);
    check(Object.keys(policy.groups), ["groups"]);
    if (
      policy.threshold === undefined &&
      policy.dominance === undefined &&
      policy.pPercent === undefined &&
      !policy.rounding
    )
      context.addIssue({
        code: "custom",
        path: ["threshold"],
        message: "a policy needs a threshold, a magnitude rule or rounding",
      });
    if ((policy.dominance || policy.pPercent) && !policy.measure)
      context.addIssue({
        code: "custom",
        path: ["measure"],
        message: "the dominance and p% rules need a measure",
      });
  });

export type ReleasePolicy = z.infer<typeof releasePolicySchema>;

/** Validates a policy (e.g. from JSON), throwing one `invalid` error naming every bad field. */
export function parseReleasePolicy(input: unknown): ReleasePolicy {
  return parseInput(releasePolicySchema, input);
}

export function policyRules(policy: ReleasePolicy): PrimaryRule[] {
  const rules: PrimaryRule[] = [];
  if (policy.threshold !== undefined)
    rules.push({
      kind: "frequency",
      threshold: policy.threshold,
      ...(policy.rangePercent ? { rangePercent: policy.rangePercent } : {}),
    });
  if (policy.dominance) rules.push({ kind: "dominance", n: policy.dominance.n, k: policy.dominance.k });
  if (policy.pPercent !== undefined) rules.push({ kind: "p-percent", p: policy.pPercent });
  return rules;
}

export type PolicyDecision =
  | { allowed: true }
  | (RefusalArguments & {
      allowed: false;
      /** "restricted": the policy withholds these dimensions; "not-provided": no allowed combination covers them. */
      kind: "restricted" | "not-provided";
      exemptions: string[];
      /** The reason text for the refusal notice. */
      reason: string;
      dimensions: string[];
    });

/** The harm and public-interest arguments of the first of `entries` to state each. */
function argumentsOf(entries: readonly RefusalArguments[]): RefusalArguments {
  const harm = entries.find((entry) => entry.harm)?.harm;
  const publicInterest = entries.find((entry) => entry.publicInterest)?.publicInterest;
  return { ...(harm ? { harm } : {}), ...(publicInterest ? { publicInterest } : {}) };
}

/** Whether a table by these dimensions may be released under the policy, and if not, why. */
export function decideTableRequest(policy: ReleasePolicy, dimensions: readonly string[]): PolicyDecision {
  if (dimensions.length === 0) throw invalid("dimensions", "a table needs at least one dimension");
  for (const name of dimensions)
    if (!policy.dimensions.includes(name))
      throw invalid("dimensions", `the dataset ${policy.dataset} has no dimension "${name}"`);
  const requested = new Set(dimensions);
  const matching = policy.restricted.filter((entry) => entry.dimensions.every((name) => requested.has(name)));
  if (matching.length > 0) {
    return {
      allowed: false,
      kind: "restricted",
      exemptions: [...new Set(matching.flatMap((entry) => entry.exemptions))],
      reason: [...new Set(matching.map((entry) => entry.reason))].join(" "),
      dimensions: [...new Set(matching.flatMap((entry) => entry.dimensions))],
      ...argumentsOf(matching),
    };
  }
  const covered =
    policy.allowed.length === 0 ||
    policy.allowed.some((combination) => dimensions.every((name) => combination.includes(name)));
  if (!covered)
    return {
      allowed: false,
      kind: "not-provided",
      exemptions: [],
      reason: `The release policy for ${policy.dataset} does not provide for a table by ${dimensions.join(" and ")}.`,
      dimensions: [...dimensions],
    };
  return { allowed: true };
}

export type TableAnswer =
  | { outcome: "released"; protectedTable: ProtectedTable; differencingSuppressions: number }
  | { outcome: "rounded"; rounded: RoundedTable }
  | (RefusalArguments & {
      outcome: "refused";
      kind: "restricted" | "not-provided" | "unsafe";
      exemptions: string[];
      reason: string;
      dimensions: string[];
    });

/**
 * Answers a request for a table: refused by the policy (exemptions and reason text for the refusal notice),
 * or built, protected (or rounded) and checked against the earlier releases of the same dataset.
 */
export function answerTableRequest(
  dataset: Dataset,
  policy: ReleasePolicy,
  dimensions: readonly string[],
  solver: LpSolver,
  earlierReleases: readonly Release[] = [],
): TableAnswer {
  const decision = decideTableRequest(policy, dimensions);
  if (!decision.allowed) return { outcome: "refused", ...decision };
  const specs: DimensionSpec[] = dimensions.map((name) => {
    const hierarchy = policy.hierarchies[name] as HierarchySpec | undefined;
    const groups = policy.groups[name];
    return hierarchy || groups
      ? { name, ...(hierarchy ? { hierarchy } : {}), ...(groups ? { groups } : {}) }
      : name;
  });
  const table = buildTable(dataset, specs, "dimensions");
  if (policy.rounding) return { outcome: "rounded", rounded: roundTable(table, policy.rounding, solver) };
  const protectedTable = protectTable(
    table,
    { rules: policyRules(policy), method: policy.method, showZeros: policy.zeros === "show" },
    solver,
  );
  const checked: ReleaseDecision = protectWithReleases(protectedTable, earlierReleases, solver, dataset);
  if (!checked.releasable)
    return {
      outcome: "refused",
      kind: "unsafe",
      exemptions: policy.unreleasable?.exemptions ?? [],
      reason: `${policy.unreleasable?.reason ?? ""} ${checked.reason}`.trim(),
      dimensions: [...dimensions],
      ...argumentsOf(policy.unreleasable ? [policy.unreleasable] : []),
    };
  return {
    outcome: "released",
    protectedTable: checked.protectedTable,
    differencingSuppressions: checked.added,
  };
}
