import { z } from "zod";
import { formatIsoDate, londonDate, tryParseIsoDate } from "../../../calendar/index.ts";
import { DomainError, type FieldProblem } from "../../../errors.ts";
import type { UploadedFile } from "../uploaded-file.ts";

// From an HTML form to the service's input: every field arrives as text, dates as three GOV.UK date fields
// (day, month, year), money in pounds. What the form itself cannot read is refused here, together with
// whatever else the service's own schema finds wrong, so the error summary lists every field at once.

/** A posted form: text fields (and, for uploads, a file) exactly as sent; the handler reads what it needs. */
export const formBody = z.record(z.string(), z.unknown());
export type FormBody = z.infer<typeof formBody>;

/** Whether a form field holds a file (rather than text). */
export function isUploadedFile(value: unknown): value is UploadedFile {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as UploadedFile).filename === "string" &&
    typeof (value as UploadedFile).content?.commit === "function"
  );
}

/** A form field's trimmed text, or undefined when it is missing or blank. */
export function fieldText(body: FormBody, name: string): string | undefined {
  const value = body[name];
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed ? trimmed : undefined;
}

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** Today's date as the three fields of a GOV.UK date input (forms start on today). */
export function todayParts(now: Date): DateParts {
  const [year, month, day] = londonDate(now).split("-");
  return { day: String(Number(day)), month: String(Number(month)), year: year! };
}

/** Problems found while reading a form, before the service sees it. */
export class FormProblems {
  readonly problems: FieldProblem[] = [];

  add(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  /**
   * The date from `<field>-day`, `<field>-month` and `<field>-year` as 'YYYY-MM-DD'; undefined when all three
   * are blank (the service asks for it) or when the date cannot be read (noted here).
   */
  date(body: FormBody, field: string): string | undefined {
    const parts = ["day", "month", "year"].map((part) => fieldText(body, `${field}-${part}`));
    if (parts.every((part) => part === undefined)) return undefined;
    const missing = ["day", "month", "year"].filter((_part, index) => parts[index] === undefined);
    if (missing.length > 0) {
      this.add(field, `The date must include a ${missing.join(" and ")}`);
      return undefined;
    }
    const [day, month, year] = parts as string[];
    if (!/^\d{1,2}$/.test(day!) || !/^\d{1,2}$/.test(month!) || !/^\d{4}$/.test(year!)) {
      this.add(field, "The date must be a real date, like 27 3 2024");
      return undefined;
    }
    const iso = `${year}-${month!.padStart(2, "0")}-${day!.padStart(2, "0")}`;
    const parsed = tryParseIsoDate(iso);
    if (!Number.isFinite(parsed) || formatIsoDate(parsed) !== iso) {
      this.add(field, "The date must be a real date, like 27 3 2024");
      return undefined;
    }
    return iso;
  }

  /** An amount typed in pounds (`24.50`, `£24`) as whole pence. */
  pence(body: FormBody, field: string): number | undefined {
    const text = fieldText(body, field)?.replace(/^£/, "").replace(/,/g, "");
    if (text === undefined) return undefined;
    if (!/^\d+(\.\d{1,2})?$/.test(text)) {
      this.add(field, "Enter the fee in pounds and pence, like 24.50");
      return undefined;
    }
    return Math.round(Number(text) * 100);
  }

  /**
   * Throws one `invalid` error naming every problem: those found here, and those `schema` finds in `input`
   * on the other fields. Does nothing when the form was readable (the service then validates it as usual).
   */
  throwIfAny(
    schema: {
      safeParse(
        input: unknown,
      ):
        | { success: true }
        | { success: false; error: { issues: readonly { path: PropertyKey[]; message: string }[] } };
    },
    input: unknown,
  ): void {
    if (this.problems.length === 0) return;
    const seen = new Set(this.problems.map((problem) => problem.field));
    const result = schema.safeParse(input);
    const others: FieldProblem[] = [];
    for (const issue of result.success ? [] : result.error.issues) {
      const field = issue.path.map(String).join(".");
      if (seen.has(field)) continue;
      seen.add(field);
      others.push({ field, message: issue.message });
    }
    const problems = [...this.problems, ...others];
    throw new DomainError("invalid", problems[0]!.message, problems[0]!.field, problems);
  }
}

/** A positive whole number from a path or form, or undefined. */
export function positiveInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,9}$/.test(text)) return undefined;
  const value = Number(text);
  return value > 0 ? value : undefined;
}
