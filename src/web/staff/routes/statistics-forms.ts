import type { PolicyInput, TableRequest } from "../../../datasets/index.ts";
import { DomainError } from "../../../errors.ts";
import { citeExemptions, exemption } from "../../../law/index.ts";
import type { ReleasePolicy } from "../../../statistics/index.ts";
import { type FormBody, FormProblems, fieldText } from "./requests-forms.ts";

// From the statistics forms to the datasets service's input: a release policy's form (restricted
// combinations as numbered groups of fields, numbers typed as text, hierarchies and groups as JSON) and the
// "build a table" choices. What the form cannot read is refused here, naming the field; the service checks
// the rest (the policy's own rules, the exemptions, the data).

/** A field sent once or several times (checkboxes), as a list. */
export function fieldList(body: FormBody, name: string): string[] {
  const value = body[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((item): item is string => typeof item === "string" && item.trim() !== "");
}

/** "foia-31-1-a, foia-31-1-b" (or spaces) as a list. */
function splitIds(text: string | undefined): string[] {
  return (text ?? "")
    .split(/[\s,;]+/)
    .map((id) => id.trim().toLowerCase())
    .filter(Boolean);
}

/** How many restricted combinations the policy form shows: those of the policy and one blank to add. */
export function restrictedRows(count: number): number {
  return Math.min(count + 1, 50);
}

/** The policy form's own readers (numbers, JSON) on top of the shared form-problem list. */
class PolicyForm extends FormProblems {
  private readonly body: FormBody;

  constructor(body: FormBody) {
    super();
    this.body = body;
  }

  number(
    field: string,
    message: string,
    options: { whole?: boolean; min?: number; max?: number } = {},
  ): number | undefined {
    const text = fieldText(this.body, field);
    if (text === undefined) return undefined;
    const value = Number(text);
    const whole = options.whole ?? true;
    if (
      !/^\d+(\.\d+)?$/.test(text) ||
      (whole && !Number.isInteger(value)) ||
      value < (options.min ?? 0) ||
      value > (options.max ?? 1_000_000)
    ) {
      this.add(field, message);
      return undefined;
    }
    return value;
  }

  json(field: string, example: string): Record<string, unknown> | undefined {
    const text = fieldText(this.body, field);
    if (text === undefined) return undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // reported below
    }
    this.add(field, `Enter JSON like ${example}, or leave this blank`);
    return undefined;
  }
}

/**
 * The policy form as the service's input. Restricted combinations are numbered fields
 * (`restricted.0.dimensions`, `.exemptions`, `.reason`); one left wholly blank is left out.
 */
export function policyInput(body: FormBody, measure: string | null): PolicyInput {
  const form = new PolicyForm(body);
  const rows = Math.min(Number(fieldText(body, "restrictedRows") ?? 0) || 0, 50);
  const restricted: ReleasePolicy["restricted"] = [];
  for (let index = 0; index < rows; index++) {
    const dimensions = fieldList(body, `restricted.${index}.dimensions`);
    const exemptions = splitIds(fieldText(body, `restricted.${index}.exemptions`));
    const reason = fieldText(body, `restricted.${index}.reason`) ?? "";
    const at = `restricted.${index}`;
    const argued = refusalArguments(body, at, exemptions, form);
    if (dimensions.length === 0 && exemptions.length === 0 && !reason && !argued.stated) continue;
    if (dimensions.length === 0)
      form.add(`${at}.dimensions`, "Choose the dimensions this restriction withholds");
    if (exemptions.length === 0) form.add(`${at}.exemptions`, "Enter the exemption, like foia-31-1-a");
    if (!reason) form.add(`${at}.reason`, "Enter the reason, as the refusal notice will give it");
    restricted.push({ dimensions, exemptions, reason, ...argued.arguments });
  }
  const allowed = (fieldText(body, "allowed") ?? "")
    .split(/\r?\n/)
    .map((line) =>
      line
        .split(/[,×x*]/)
        .map((name) => name.trim())
        .filter(Boolean),
    )
    .filter((combination) => combination.length > 0);
  const threshold = form.number(
    "threshold",
    "Enter the threshold as a whole number, like 4, or leave it blank",
  );
  const n = form.number("dominance.n", "Enter n as a whole number, like 2", { min: 1, max: 100 });
  const k = form.number("dominance.k", "Enter k as a percentage, like 85", { whole: false, max: 100 });
  const pPercent = form.number("pPercent", "Enter p as a percentage, like 10", { whole: false, max: 100 });
  const roundingMethod = fieldText(body, "rounding.method");
  const base = form.number("rounding.base", "Enter the base as a whole number, like 5", {
    min: 2,
    max: 1000,
  });
  if ((n === undefined) !== (k === undefined) && !form.problems.some((p) => p.field.startsWith("dominance")))
    form.add(
      n === undefined ? "dominance.n" : "dominance.k",
      "Enter both n and k for the dominance rule, or neither",
    );
  if (roundingMethod && roundingMethod !== "none" && base === undefined)
    form.add("rounding.base", "Enter the base to round to, like 5");
  const hierarchies = form.json("hierarchies", '{"region": {"Total": {"North": ["Leeds", "York"]}}}');
  const groups = form.json("groups", '{"age": {"0-17": ["0-15", "16-17"]}}');
  const unreleasableIds = splitIds(fieldText(body, "unreleasable.exemptions"));
  const unreleasableReason = fieldText(body, "unreleasable.reason");
  if (unreleasableIds.length > 0 && !unreleasableReason)
    form.add("unreleasable.reason", "Enter the reason to give when a table cannot be released safely");
  const magnitude = n !== undefined || pPercent !== undefined;
  if (magnitude && !measure)
    form.add(
      n !== undefined ? "dominance.n" : "pPercent",
      "The dataset has no measure column, so the dominance and p% rules cannot apply to it",
    );
  if (form.problems.length > 0)
    throw new DomainError("invalid", form.problems[0]!.message, form.problems[0]!.field, form.problems);
  return {
    allowed,
    restricted,
    ...(threshold !== undefined ? { threshold } : {}),
    zeros: fieldText(body, "zeros") === "hide" ? "hide" : "show",
    ...(magnitude && measure ? { measure } : {}),
    ...(n !== undefined && k !== undefined ? { dominance: { n, k } } : {}),
    ...(pPercent !== undefined ? { pPercent } : {}),
    ...(roundingMethod === "nearest" || roundingMethod === "controlled"
      ? { rounding: { base: base as number, method: roundingMethod } }
      : {}),
    method:
      (["optimal", "heuristic"] as const).find((method) => method === fieldText(body, "method")) ?? "auto",
    hierarchies: (hierarchies ?? {}) as ReleasePolicy["hierarchies"],
    groups: (groups ?? {}) as ReleasePolicy["groups"],
    ...(unreleasableIds.length || unreleasableReason
      ? { unreleasable: { exemptions: unreleasableIds, reason: unreleasableReason ?? "" } }
      : {}),
  };
}

const likelihoods = ["would", "would-be-likely-to"] as const;

/** Lines of a textarea, blank ones left out. */
function lines(text: string | undefined): string[] {
  return (text ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * A refused combination's harm test and public-interest test as the form states them (FOIA s.17(1)(c),
 * s.17(3)): carried into a refusal added to a reply. A harm test only for a prejudice-based exemption, a
 * public-interest test only for a qualified one; each stated whole or not at all.
 */
function refusalArguments(body: FormBody, at: string, exemptionIds: readonly string[], form: FormProblems) {
  const interest = fieldText(body, `${at}.harm.interest`) ?? "";
  const likelihood = likelihoods.find((value) => value === fieldText(body, `${at}.harm.likelihood`));
  const favouringDisclosure = lines(fieldText(body, `${at}.publicInterest.favouringDisclosure`));
  const favouringWithholding = lines(fieldText(body, `${at}.publicInterest.favouringWithholding`));
  const balance = fieldText(body, `${at}.publicInterest.balance`) ?? "";
  const entries = exemptionIds.map((id) => exemption(id)).filter((entry) => entry !== undefined);
  const known = entries.length === exemptionIds.length && entries.length > 0;
  const harmStated = Boolean(interest || likelihood);
  const publicInterestStated = Boolean(favouringDisclosure.length || favouringWithholding.length || balance);
  if (harmStated) {
    if (!interest) form.add(`${at}.harm.interest`, "Enter the interest that disclosure would harm");
    if (!likelihood)
      form.add(`${at}.harm.likelihood`, "Choose whether the harm would, or would be likely to, happen");
    if (known && !entries.some((entry) => entry.basis !== "class" && entry.harm))
      form.add(
        `${at}.harm.interest`,
        `${citeExemptions(exemptionIds).join(" and ")} is not prejudice-based: it needs no harm test`,
      );
  }
  if (publicInterestStated) {
    if (!balance)
      form.add(`${at}.publicInterest.balance`, "Say where the balance of the public interest lies, and why");
    if (favouringDisclosure.length === 0)
      form.add(`${at}.publicInterest.favouringDisclosure`, "List the factors in favour of disclosure");
    if (favouringWithholding.length === 0)
      form.add(`${at}.publicInterest.favouringWithholding`, "List the factors in favour of withholding");
    if (known && !entries.some((entry) => entry.publicInterestTest))
      form.add(
        `${at}.publicInterest.balance`,
        `${citeExemptions(exemptionIds).join(" and ")} is absolute: it has no public-interest test`,
      );
  }
  return {
    stated: harmStated || publicInterestStated,
    arguments: {
      ...(interest && likelihood ? { harm: { interest, likelihood } } : {}),
      ...(publicInterestStated
        ? { publicInterest: { favouringDisclosure, favouringWithholding, balance } }
        : {}),
    },
  };
}

/** The policy as the form's values, for showing it to be changed. */
export function policyFormValues(policy: ReleasePolicy): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {
    allowed: policy.allowed.map((combination) => combination.join(", ")).join("\n"),
    threshold: policy.threshold === undefined ? "" : String(policy.threshold),
    zeros: policy.zeros,
    "dominance.n": policy.dominance ? String(policy.dominance.n) : "",
    "dominance.k": policy.dominance ? String(policy.dominance.k) : "",
    pPercent: policy.pPercent === undefined ? "" : String(policy.pPercent),
    "rounding.method": policy.rounding?.method ?? "none",
    "rounding.base": policy.rounding ? String(policy.rounding.base) : "",
    method: policy.method,
    hierarchies: Object.keys(policy.hierarchies).length ? JSON.stringify(policy.hierarchies, null, 2) : "",
    groups: Object.keys(policy.groups).length ? JSON.stringify(policy.groups, null, 2) : "",
    "unreleasable.exemptions": policy.unreleasable?.exemptions.join(", ") ?? "",
    "unreleasable.reason": policy.unreleasable?.reason ?? "",
    restrictedRows: String(restrictedRows(policy.restricted.length)),
  };
  policy.restricted.forEach((entry, index) => {
    values[`restricted.${index}.dimensions`] = entry.dimensions;
    values[`restricted.${index}.exemptions`] = entry.exemptions.join(", ");
    values[`restricted.${index}.reason`] = entry.reason;
    values[`restricted.${index}.harm.interest`] = entry.harm?.interest ?? "";
    values[`restricted.${index}.harm.likelihood`] = entry.harm?.likelihood ?? "";
    values[`restricted.${index}.publicInterest.favouringDisclosure`] =
      entry.publicInterest?.favouringDisclosure.join("\n") ?? "";
    values[`restricted.${index}.publicInterest.favouringWithholding`] =
      entry.publicInterest?.favouringWithholding.join("\n") ?? "";
    values[`restricted.${index}.publicInterest.balance`] = entry.publicInterest?.balance ?? "";
  });
  return values;
}

/** The "build a table" choices, from the query string or a form. */
export function tableRequest(source: FormBody): TableRequest {
  const requestText = fieldText(source, "request");
  const requestId = requestText && /^\d{1,9}$/.test(requestText) ? Number(requestText) : undefined;
  if (requestText && requestId === undefined)
    throw new DomainError("invalid", "Choose a request from the list", "request");
  return {
    dimensions: fieldList(source, "dimensions"),
    ...(requestId !== undefined ? { requestId } : {}),
    ...(fieldText(source, "title") ? { title: fieldText(source, "title") } : {}),
  };
}
