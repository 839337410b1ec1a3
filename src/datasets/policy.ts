import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError, type FieldProblem, isDomainError } from "../errors.ts";
import { exemption } from "../law/index.ts";
import type { Actor } from "../requests/index.ts";
import { formatRule, parseReleasePolicy, policyRules, type ReleasePolicy } from "../statistics/index.ts";
import { assertCan } from "../users/index.ts";
import * as repo from "./repo.ts";
import { checkDimensionShapes, citations, type Loaded, labelFor, loadDataset } from "./stored-dataset.ts";

// The release policy: its versions, saved by managers, and the policy in words for the dataset page.

type Db = Kysely<Database>;

/** The policy's own fields as a form sends them (the dataset and its dimensions are the dataset's). */
export type PolicyInput = Omit<Partial<ReleasePolicy>, "dataset" | "dimensions"> & Record<string, unknown>;

/** Where a problem the policy schema finds is shown on the policy form. */
function policyField(field: string): string {
  const parts = field.split(".");
  if (parts[0] === "restricted" && parts.length >= 3) return parts.slice(0, 3).join(".");
  if (parts[0] === "unreleasable" && parts.length >= 2) return parts.slice(0, 2).join(".");
  if (["allowed", "hierarchies", "groups"].includes(parts[0] ?? "")) return parts[0] as string;
  return field;
}

/**
 * The policy form states each refused combination's harm and public-interest tests, but not those of the
 * refusal used when a table cannot be released safely: saving it unchanged (the same exemptions) keeps the
 * arguments the current version states there, so that saving the form loses nothing.
 */
function keepRefusalArguments(policy: ReleasePolicy, current: ReleasePolicy): ReleasePolicy {
  const key = (entry: { exemptions: readonly string[] }) => [...entry.exemptions].sort().join(" ");
  const before = current.unreleasable;
  if (!policy.unreleasable || !before || key(before) !== key(policy.unreleasable)) return policy;
  return {
    ...policy,
    unreleasable: {
      ...policy.unreleasable,
      ...(!policy.unreleasable.harm && before.harm ? { harm: before.harm } : {}),
      ...(!policy.unreleasable.publicInterest && before.publicInterest
        ? { publicInterest: before.publicInterest }
        : {}),
    },
  };
}

/** Saves a new version of the dataset's release policy (managers): checked whole, and against the data. */
export async function savePolicy(db: Db, datasetId: number, input: PolicyInput, actor: Actor, now: Date) {
  assertCan(actor, "edit-release-policy");
  const loaded = await loadDataset(db, datasetId);
  let policy: ReleasePolicy;
  try {
    policy = parseReleasePolicy({ ...input, dataset: loaded.name, dimensions: loaded.dataset.dimensions });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const problems = error.problems.map((problem) => ({
      field: policyField(problem.field),
      message: problem.message,
    }));
    throw new DomainError("invalid", problems[0]?.message ?? error.message, problems[0]?.field, problems);
  }
  policy = keepRefusalArguments(policy, loaded.policy);
  const problems: FieldProblem[] = [];
  const checkExemptions = (ids: readonly string[], field: string) => {
    for (const id of ids)
      if (!exemption(id))
        problems.push({
          field,
          message: `"${id}" is not an exemption in foidesk's catalogue, like foia-31-1-a`,
        });
  };
  policy.restricted.forEach((entry, index) => {
    checkExemptions(entry.exemptions, `restricted.${index}.exemptions`);
  });
  if (policy.unreleasable) checkExemptions(policy.unreleasable.exemptions, "unreleasable.exemptions");
  if (policy.measure !== undefined && policy.measure !== loaded.dataset.measure)
    problems.push({
      field: "measure",
      message: loaded.dataset.measure
        ? `The dataset's measure is ${loaded.dataset.measure}`
        : "The dataset has no measure, so the dominance and p% rules cannot apply",
    });
  if (problems.length > 0)
    throw new DomainError("invalid", problems[0]!.message, problems[0]!.field, problems);
  checkDimensionShapes(loaded.dataset, policy.hierarchies, policy.groups);
  const version = loaded.policyVersion + 1;
  await repo.insertPolicy(db, { datasetId, version, policy, at: now, by: actor.label });
  return version;
}

/** The policy in words, for the dataset page. */
export function policySummary(loaded: Loaded) {
  const { policy } = loaded;
  const label = (name: string) => labelFor(loaded, name);
  const rules = policyRules(policy).map(formatRule);
  return {
    restricted: policy.restricted.map((entry) => ({
      dimensions: entry.dimensions.map(label),
      citations: citations(entry.exemptions),
      exemptions: entry.exemptions,
      reason: entry.reason,
    })),
    allowed: policy.allowed.map((combination) => combination.map(label).join(" × ")),
    threshold: policy.threshold ?? null,
    zeros: policy.zeros,
    rules,
    dominance: policy.dominance ?? null,
    pPercent: policy.pPercent ?? null,
    rounding: policy.rounding ?? null,
    method: policy.method,
    hierarchies: Object.keys(policy.hierarchies).map(label),
    groups: Object.entries(policy.groups).map(([name, groups]) => ({
      dimension: label(name),
      groups: Object.entries(groups).map(([group, members]) => `${group}: ${members.join(", ")}`),
    })),
    unreleasable: policy.unreleasable
      ? { citations: citations(policy.unreleasable.exemptions), reason: policy.unreleasable.reason }
      : null,
  };
}
