import { createInterface } from "node:readline";
import type { Command } from "commander";
import { formatHumanDate, type ImportedHolidays, londonDate, tryParseIsoDate } from "../../calendar/index.ts";
import { invalid, isDomainError } from "../../errors.ts";
import {
  type ClockEvent,
  type ClockSettings,
  computeDeadline,
  type Deadline,
  type DeadlineInput,
  type ExtensionType,
  extensionTypes,
  type Regime,
  regimeRule,
  regimes,
} from "../../law/index.ts";
import type { CliContext } from "../context.ts";
import { readHolidayFile } from "./holidays.ts";

/**
 * One request in flat form: the options of `foidesk due-date` in camelCase, and the fields of each line of
 * `--batch` input. `reference` (batch only) is echoed back so results can be matched to cases.
 */
export interface DueDateFields {
  regime?: unknown;
  received?: unknown;
  clarificationRequested?: unknown;
  clarified?: unknown;
  feeRequested?: unknown;
  feePaid?: unknown;
  identityRequested?: unknown;
  identityReceived?: unknown;
  extension?: unknown;
  extensionDays?: unknown;
  asOf?: unknown;
  reading?: unknown;
  reference?: unknown;
}

const fieldNames = new Set([
  "regime",
  "received",
  "clarificationRequested",
  "clarified",
  "feeRequested",
  "feePaid",
  "identityRequested",
  "identityReceived",
  "extension",
  "extensionDays",
  "asOf",
  "reading",
  "reference",
]);
const dateFields = [
  "received",
  "clarificationRequested",
  "clarified",
  "feeRequested",
  "feePaid",
  "identityRequested",
  "identityReceived",
] as const;

/** `clarificationRequested` → `--clarification-requested`: how a field is named on the command line. */
export function optionName(field: string): string {
  return `--${field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

function text(fields: DueDateFields, name: keyof DueDateFields): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalid(name, `${name} must be a string`);
  return value;
}

/**
 * Turns the flat fields into the law module's input. `today` stands in for a missing as-of date unless the
 * request's own dates are later (a request dated in the future is counted as of its latest date instead).
 */
export function deadlineInput(
  fields: DueDateFields,
  today: string | undefined,
): { input: DeadlineInput; settings: ClockSettings } {
  const regime = text(fields, "regime");
  if (regime === undefined) throw invalid("regime", `a regime is required: ${regimes.join(", ")}`);
  const received = text(fields, "received");
  if (received === undefined)
    throw invalid("received", "the date the request was received is required (YYYY-MM-DD)");
  const events: ClockEvent[] = [];
  const clarificationRequested = text(fields, "clarificationRequested");
  const clarified = text(fields, "clarified");
  if (clarified !== undefined && clarificationRequested === undefined) {
    throw invalid(
      "clarificationRequested",
      "the date clarification was asked for is needed with the date it arrived",
    );
  }
  if (clarificationRequested !== undefined) {
    events.push({ kind: "clarification", requested: clarificationRequested, received: clarified });
  }
  const feeRequested = text(fields, "feeRequested");
  const feePaid = text(fields, "feePaid");
  if (feePaid !== undefined && feeRequested === undefined) {
    throw invalid("feeRequested", "the date of the fees notice is needed with the date the fee was paid");
  }
  if (feeRequested !== undefined) events.push({ kind: "fee", requested: feeRequested, paid: feePaid });
  const identityRequested = text(fields, "identityRequested");
  const identityReceived = text(fields, "identityReceived");
  if (identityReceived !== undefined && identityRequested === undefined) {
    throw invalid(
      "identityRequested",
      "the date proof of identity was asked for is needed with the date it arrived",
    );
  }
  if (identityRequested !== undefined) {
    events.push({ kind: "identity", requested: identityRequested, received: identityReceived });
  }
  const extension = text(fields, "extension");
  const extensionDays = fields.extensionDays;
  if (extensionDays !== undefined && extensionDays !== null && extension === undefined) {
    throw invalid("extension", "the extension type is needed with the number of extension days");
  }
  if (extension !== undefined) {
    let workingDays: number | undefined;
    if (extensionDays !== undefined && extensionDays !== null) {
      if (typeof extensionDays === "number") workingDays = extensionDays;
      else if (typeof extensionDays === "string" && /^\d+$/.test(extensionDays))
        workingDays = Number(extensionDays);
      if (!Number.isInteger(workingDays))
        throw invalid("extensionDays", "must be a whole number of working days");
    }
    events.push({ kind: "extension", type: extension as ExtensionType, workingDays });
  }
  let asOf = text(fields, "asOf");
  if (asOf === undefined && today !== undefined) {
    const dates = dateFields.map((name) => fields[name]).filter((d): d is string => typeof d === "string");
    if (dates.every((date) => date <= today)) asOf = today;
  }
  const reading = text(fields, "reading");
  const settings: ClockSettings = {};
  if (reading !== undefined) settings.receiptReading = reading as ClockSettings["receiptReading"];
  // computeDeadline checks the regime, every date, the extension type and the reading.
  return { input: { regime: regime as Regime, received, events, asOf }, settings };
}

function withOptionNames<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (isDomainError(error) && error.field) throw invalid(optionName(error.field), error.message);
    throw error;
  }
}

function humanReport(deadline: Deadline): string {
  const rule = regimeRule(deadline.regime);
  const date = (iso: string) => formatHumanDate(tryParseIsoDate(iso));
  const unit = deadline.unit === "working" ? "working days" : "calendar days";
  const status = deadline.stopped
    ? "clock stopped: awaiting clarification, fee or proof of identity (due date shown is the earliest)"
    : deadline.overdue
      ? "overdue"
      : "in time";
  const rows: [string, string][] = [
    ["Regime", `${deadline.regime} (${rule?.title ?? ""})`],
    ["Received", date(deadline.received)],
    ["Due date", date(deadline.dueDate)],
  ];
  if (deadline.refusalNoticeDue) rows.push(["Refusal notice", `${date(deadline.refusalNoticeDue)} (s.17)`]);
  rows.push(
    ["As of", date(deadline.asOf)],
    ["Days allowed", `${deadline.daysAllowed} ${unit}`],
    ["Days used", String(deadline.daysUsed)],
    ["Days left", String(deadline.daysLeft)],
    ["Status", status],
  );
  return `${rows.map(([label, value]) => `${label.padEnd(16)}${value}`).join("\n")}\n`;
}

interface BatchDefaults {
  asOf?: string;
  reading?: string;
  today?: string;
  extraHolidays?: ImportedHolidays;
}

/** One result or `{"error": …}` per input line; blank lines are skipped. Never throws for a bad line. */
export function batchLine(line: string, defaults: BatchDefaults): string {
  let reference: unknown;
  try {
    let fields: unknown;
    try {
      fields = JSON.parse(line);
    } catch {
      throw new Error("not a JSON object");
    }
    if (typeof fields !== "object" || fields === null || Array.isArray(fields))
      throw new Error("not a JSON object");
    const record = fields as Record<string, unknown>;
    reference = record.reference;
    const unknown = Object.keys(record).filter((key) => !fieldNames.has(key));
    if (unknown.length > 0) throw new Error(`unknown field "${unknown[0]}"`);
    const { input, settings } = deadlineInput(
      { asOf: defaults.asOf, reading: defaults.reading, ...record },
      defaults.today,
    );
    settings.extraHolidays = defaults.extraHolidays;
    const deadline = computeDeadline(input, settings);
    return JSON.stringify(reference === undefined ? deadline : { reference, ...deadline });
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const message = isDomainError(error) && error.field ? `${error.message} (${error.field})` : error.message;
    return JSON.stringify(reference === undefined ? { error: message } : { reference, error: message });
  }
}

export async function runBatch(
  lines: AsyncIterable<string>,
  defaults: BatchDefaults,
  write: (chunk: string) => void,
): Promise<void> {
  let pending: string[] = [];
  for await (const line of lines) {
    if (line.trim() === "") continue;
    pending.push(batchLine(line, defaults));
    if (pending.length >= 1000) {
      write(`${pending.join("\n")}\n`);
      pending = [];
    }
  }
  if (pending.length > 0) write(`${pending.join("\n")}\n`);
}

interface DueDateOptions {
  regime?: string;
  received?: string;
  clarificationRequested?: string;
  clarified?: string;
  feeRequested?: string;
  feePaid?: string;
  identityRequested?: string;
  identityReceived?: string;
  extension?: string;
  extensionDays?: string;
  asOf?: string;
  reading?: string;
  holidays?: string;
  json?: boolean;
  batch?: boolean;
}

export function registerDueDate(program: Command, { now }: CliContext): void {
  program
    .command("due-date")
    .description(
      "the statutory due date of a request: FOIA, EIR, FOISA, EISR, subject access or internal review",
    )
    .option("--regime <regime>", regimes.join(", "))
    .option("--received <date>", "the date the request was received (YYYY-MM-DD)")
    .option("--clarification-requested <date>", "when clarification was asked for (the clock stops)")
    .option("--clarified <date>", "when the clarification arrived")
    .option("--fee-requested <date>", "when the fees notice was given (the clock stops)")
    .option("--fee-paid <date>", "when the fee arrived")
    .option(
      "--identity-requested <date>",
      "subject access: when proof of identity was asked for (the clock stops)",
    )
    .option(
      "--identity-received <date>",
      "subject access: when proof of identity arrived (the month starts again)",
    )
    .option("--extension <type>", extensionTypes.join(", "))
    .option("--extension-days <n>", "working days the extension adds (default 20)")
    .option("--as-of <date>", "report days used and overdue as of this date (default: today)")
    .option("--reading <reading>", "received on a non-working day: ico (default) or code-2018")
    .option("--holidays <file>", "add bank holidays from a file in the GOV.UK bank-holidays JSON format")
    .option("--json", "print JSON")
    .option("--batch", "read one JSON object per line on standard input, write one JSON result per line")
    .action(async (options: DueDateOptions) => {
      // Today in the United Kingdom, from the clock the command is given (the law module never reads one).
      const today = londonDate(now());
      if (options.batch) {
        const { batch: _batch, json: _json, asOf, reading, holidays, ...perRequest } = options;
        const misplaced = Object.keys(perRequest)[0];
        if (misplaced) {
          const option = optionName(misplaced);
          throw invalid(
            option,
            `${option} is not used with --batch: give "${misplaced}" in each JSON line instead`,
          );
        }
        const extraHolidays = holidays ? await readHolidayFile(holidays, "--holidays") : undefined;
        const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
        await runBatch(lines, { asOf, reading, today, extraHolidays }, (chunk) =>
          process.stdout.write(chunk),
        );
        return;
      }
      const extraHolidays = options.holidays
        ? await readHolidayFile(options.holidays, "--holidays")
        : undefined;
      const deadline = withOptionNames(() => {
        const { input, settings } = deadlineInput(options, today);
        settings.extraHolidays = extraHolidays;
        return computeDeadline(input, settings);
      });
      process.stdout.write(options.json ? `${JSON.stringify(deadline)}\n` : humanReport(deadline));
    });
}
