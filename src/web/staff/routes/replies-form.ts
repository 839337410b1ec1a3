import { DomainError, type FieldProblem } from "../../../errors.ts";
import {
  advicePurposes,
  type Decision,
  decisions,
  type ReplyInput,
  replySchema,
} from "../../../responses/index.ts";
import { type FormBody, FormProblems, fieldText } from "./requests-forms.ts";

// The reply editor's form, which works without JavaScript: every field is named by its path in the reply
// ("exemptions.0.harm.reasoning"), lists of paragraphs are one textarea (a blank line between paragraphs),
// tables are CSV, and buttons named "command" add, remove or insert. Blank new items are dropped when read.
// Problems are reported on the element that shows the field, so the error summary links to it.

export type FormValues = Record<string, string | string[]>;

/** The lists of the reply that the editor shows one item at a time. */
const lists = ["questions", "exemptions", "disclosure", "advice", "refusal.estimate.lines"] as const;
type ListName = (typeof lists)[number];

export const paragraphSeparator = "\n\n";

/** Paragraphs from one textarea: split on blank lines, blank ones dropped. */
export function paragraphsFrom(text: string | undefined): string[] {
  return (text ?? "")
    .replace(/\r\n/g, "\n")
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== "");
}

/** One CSV line's cells (RFC 4180 quoting: "a, b" and "" for a quote). */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const character = line[i]!;
    if (quoted) {
      if (character === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (character === '"') quoted = false;
      else cell += character;
    } else if (character === '"' && cell.trim() === "") {
      quoted = true;
      cell = "";
    } else if (character === ",") {
      cells.push(cell.trim());
      cell = "";
    } else cell += character;
  }
  cells.push(cell.trim());
  return cells;
}

/** A table typed as CSV: the first line is the column headings. */
export function tableFrom(text: string | undefined): { columns: string[]; rows: string[][] } {
  const lines = (text ?? "")
    .replace(/\r\n/g, "\n")
    .split("\n")
    .filter((line) => line.trim() !== "");
  const [head, ...rest] = lines.map(csvCells);
  return { columns: head ?? [], rows: rest };
}

function csvLine(cells: readonly string[]): string {
  return cells.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(", ");
}

export function tableText(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  return [columns, ...rows].map(csvLine).join("\n");
}

function dateParts(values: FormValues, name: string, iso: string | undefined): void {
  if (!iso) return;
  const [year, month, day] = iso.split("-");
  values[`${name}-day`] = String(Number(day));
  values[`${name}-month`] = String(Number(month));
  values[`${name}-year`] = year ?? "";
}

function joined(list: readonly string[] | undefined): string {
  return (list ?? []).join(paragraphSeparator);
}

type Loose = Record<string, unknown>;
const asList = (value: unknown): Loose[] => (Array.isArray(value) ? (value as Loose[]) : []);
const asText = (value: unknown): string => (typeof value === "string" ? value : "");
const asNumbers = (value: unknown): string[] => (Array.isArray(value) ? value.map((n) => String(n)) : []);

/** The editor's values for a stored draft (the inverse of readReplyForm). */
export function replyFormValues(draft: ReplyInput): FormValues {
  const values: FormValues = {};
  const set = (name: string, value: string | string[] | undefined) => {
    if (value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0))
      values[name] = value;
  };
  asList(draft.questions).forEach((question, i) => {
    const name = `questions.${i}`;
    set(`${name}.text`, asText(question.text));
    set(`${name}.decision`, asText(question.decision));
    set(`${name}.notHeldExplanation`, asText(question.notHeldExplanation));
    const flags = (["concernsEmissions", "requestersOwnData"] as const).filter((flag) => question[flag]);
    set(`${name}.flags`, flags);
  });
  set("reasons", joined(draft.reasons));
  asList(draft.exemptions).forEach((application, i) => {
    const name = `exemptions.${i}`;
    set(`${name}.exemptionIds`, asNumbers(application.exemptionIds));
    set(`${name}.questionNumbers`, asNumbers(application.questionNumbers));
    if (application.alternative) set(`${name}.alternative`, "yes");
    set(`${name}.reasons`, joined(application.reasons as string[]));
    const harm = application.harm as Loose | undefined;
    if (harm) {
      set(`${name}.harm.interest`, asText(harm.interest));
      set(`${name}.harm.likelihood`, asText(harm.likelihood));
      set(`${name}.harm.reasoning`, joined(harm.reasoning as string[]));
    }
    const pi = application.publicInterest as Loose | undefined;
    if (pi) {
      set(`${name}.publicInterest.favouringDisclosure`, joined(pi.favouringDisclosure as string[]));
      set(`${name}.publicInterest.favouringWithholding`, joined(pi.favouringWithholding as string[]));
      set(`${name}.publicInterest.balance`, asText(pi.balance));
    }
    const opinion = application.qualifiedPersonOpinion as Loose | undefined;
    if (opinion) {
      set(`${name}.qualifiedPersonOpinion.name`, asText(opinion.name));
      set(`${name}.qualifiedPersonOpinion.role`, asText(opinion.role));
      set(`${name}.qualifiedPersonOpinion.likelihood`, asText(opinion.likelihood));
      dateParts(values, `${name}.qualifiedPersonOpinion.date`, asText(opinion.date));
    }
  });
  const refusal = draft.refusal as Loose | undefined;
  if (refusal) {
    set("refusal.ground", asText(refusal.ground));
    set("refusal.reasons", joined(refusal.reasons as string[]));
    const estimate = refusal.estimate as Loose | undefined;
    if (estimate) {
      if (typeof estimate.limitPence === "number")
        set("refusal.estimate.limitPence", String(estimate.limitPence / 100));
      asList(estimate.lines).forEach((line, k) => {
        const name = `refusal.estimate.lines.${k}`;
        set(`${name}.activity`, asText(line.activity));
        set(`${name}.hours`, typeof line.hours === "number" ? String(line.hours) : "");
        set(`${name}.basis`, asText(line.basis));
      });
    }
    const previous = refusal.previousRequest as Loose | undefined;
    if (previous) {
      set("refusal.previousRequest.reference", asText(previous.reference));
      dateParts(values, "refusal.previousRequest.answeredDate", asText(previous.answeredDate));
    }
    const pi = refusal.publicInterest as Loose | undefined;
    if (pi) {
      set("refusal.publicInterest.favouringDisclosure", joined(pi.favouringDisclosure as string[]));
      set("refusal.publicInterest.favouringWithholding", joined(pi.favouringWithholding as string[]));
      set("refusal.publicInterest.balance", asText(pi.balance));
    }
  }
  asList(draft.disclosure).forEach((block, i) => {
    const name = `disclosure.${i}`;
    set(`${name}.kind`, asText(block.kind));
    set(`${name}.questionNumbers`, asNumbers(block.questionNumbers));
    if (block.kind === "text") set(`${name}.text`, asText(block.text));
    if (block.kind === "table") {
      set(`${name}.caption`, asText(block.caption));
      set(`${name}.table`, tableText(block.columns as string[], block.rows as string[][]));
    }
    if (block.kind === "attachment") {
      set(`${name}.fileName`, asText(block.fileName));
      set(`${name}.description`, asText(block.description));
    }
  });
  asList(draft.advice).forEach((advice, i) => {
    const name = `advice.${i}`;
    set(`${name}.purpose`, asText(advice.purpose) || "other");
    set(`${name}.text`, asText(advice.text));
    const link = advice.link as Loose | undefined;
    if (link) {
      set(`${name}.link.url`, asText(link.url));
      set(`${name}.link.text`, asText(link.text));
    }
  });
  set("subjectAccessReference", asText(draft.subjectAccessReference));
  // The review letter's decision (the dates come from the request, not the form).
  const review = draft.review as Loose | undefined;
  set("review.outcome", asText(review?.outcome));
  set("review.reasons", joined(review?.reasons as string[] | undefined));
  set("review.nextSteps", asText(review?.nextSteps));
  const signOff = draft.signOff as Loose | undefined;
  set("signOff.name", asText(signOff?.name));
  set("signOff.jobTitle", asText(signOff?.jobTitle));
  return values;
}

/** How many items of a list the values hold (the highest index plus one). */
export function itemCount(values: FormValues, list: ListName): number {
  const pattern = new RegExp(`^${list.replace(/\./g, "\\.")}\\.(\\d+)\\.`);
  let count = 0;
  for (const name of Object.keys(values)) {
    const match = pattern.exec(name);
    if (match) count = Math.max(count, Number(match[1]) + 1);
  }
  return count;
}

const choices = (body: FormBody, name: string): string[] => {
  const value = body[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((item): item is string => typeof item === "string" && item.trim() !== "");
};

const numbers = (body: FormBody, name: string): number[] =>
  choices(body, name)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);

export type ReplyCommand =
  | { kind: "save" }
  | { kind: "preview" }
  | { kind: "add"; list: "question" | "exemption" | "text" | "table" | "attachment" | "advice" | "cost-line" }
  | { kind: "remove"; item: string }
  | { kind: "insert"; field: string; paragraphId: number | null };

const addable = ["question", "exemption", "text", "table", "attachment", "advice", "cost-line"] as const;

/** The button pressed: its value says what to do ("add:exemption", "remove:exemptions.1", "insert:<field>"). */
export function replyCommand(body: FormBody): ReplyCommand {
  const command = fieldText(body, "command") ?? "save";
  if (command === "preview") return { kind: "preview" };
  const [verb, target = ""] = command.split(/:(.*)/s);
  if (verb === "add" && (addable as readonly string[]).includes(target))
    return { kind: "add", list: target as (typeof addable)[number] };
  if (verb === "remove" && /^[a-z.]+\.\d+$/i.test(target)) return { kind: "remove", item: target };
  if (verb === "insert" && /^[a-zA-Z0-9.]+$/.test(target)) {
    const id = Number(fieldText(body, `library.${target}`));
    return { kind: "insert", field: target, paragraphId: Number.isInteger(id) && id > 0 ? id : null };
  }
  return { kind: "save" };
}

/** The body with `text` added to a textarea as a new paragraph (the library's "insert"). */
export function withParagraph(body: FormBody, field: string, text: string): FormBody {
  const current = typeof body[field] === "string" ? (body[field] as string).trim() : "";
  return { ...body, [field]: current ? `${current}${paragraphSeparator}${text}` : text };
}

const blank = (...texts: (string | undefined)[]) => texts.every((text) => !text);

/**
 * The draft the form describes. Items left blank are dropped (so the indexes in the reply may be lower than
 * on the form: `formIndex` maps them back for the error summary); `remove` drops one item on purpose.
 */
/** `review`: the form is the internal review's letter, with its decision, reasons and next steps. */
export function readReplyForm(body: FormBody, remove?: string, review = false) {
  const problems = new FormProblems();
  const text = (name: string) => fieldText(body, name);
  const formIndex: Record<ListName, number[]> = {
    questions: [],
    exemptions: [],
    disclosure: [],
    advice: [],
    "refusal.estimate.lines": [],
  };
  const values = body as FormValues;
  const indexes = (list: ListName) =>
    Array.from({ length: itemCount(values, list) }, (_, i) => i).filter((i) => `${list}.${i}` !== remove);

  const questions: Loose[] = [];
  for (const i of indexes("questions")) {
    const name = `questions.${i}`;
    const flags = choices(body, `${name}.flags`);
    const question: Loose = {
      text: text(`${name}.text`) ?? "",
      decision: text(`${name}.decision`),
      notHeldExplanation: text(`${name}.notHeldExplanation`),
      concernsEmissions: flags.includes("concernsEmissions"),
      requestersOwnData: flags.includes("requestersOwnData"),
    };
    if (blank(question.text as string, question.decision as string | undefined)) continue;
    formIndex.questions.push(i);
    questions.push(question);
  }

  const publicInterest = (name: string) => {
    const pi = {
      favouringDisclosure: paragraphsFrom(text(`${name}.favouringDisclosure`)),
      favouringWithholding: paragraphsFrom(text(`${name}.favouringWithholding`)),
      balance: text(`${name}.balance`) ?? "",
    };
    return pi.favouringDisclosure.length || pi.favouringWithholding.length || pi.balance ? pi : undefined;
  };

  const exemptions: Loose[] = [];
  for (const i of indexes("exemptions")) {
    const name = `exemptions.${i}`;
    const harm = {
      interest: text(`${name}.harm.interest`) ?? "",
      likelihood: text(`${name}.harm.likelihood`),
      reasoning: paragraphsFrom(text(`${name}.harm.reasoning`)),
    };
    const opinionDate = problems.date(body, `${name}.qualifiedPersonOpinion.date`);
    const opinion = {
      name: text(`${name}.qualifiedPersonOpinion.name`) ?? "",
      role: text(`${name}.qualifiedPersonOpinion.role`) ?? "",
      date: opinionDate,
      likelihood: text(`${name}.qualifiedPersonOpinion.likelihood`),
    };
    const application: Loose = {
      exemptionIds: [...new Set(choices(body, `${name}.exemptionIds`))],
      questionNumbers: numbers(body, `${name}.questionNumbers`),
      alternative: text(`${name}.alternative`) === "yes",
      reasons: paragraphsFrom(text(`${name}.reasons`)),
      harm: harm.interest || harm.likelihood || harm.reasoning.length ? harm : undefined,
      publicInterest: publicInterest(`${name}.publicInterest`),
      qualifiedPersonOpinion:
        opinion.name || opinion.role || opinion.likelihood || opinion.date
          ? { ...opinion, date: opinion.date ?? "" }
          : undefined,
    };
    const empty =
      (application.exemptionIds as string[]).length === 0 &&
      (application.questionNumbers as number[]).length === 0 &&
      (application.reasons as string[]).length === 0 &&
      !application.harm &&
      !application.publicInterest &&
      !application.qualifiedPersonOpinion;
    if (empty) continue;
    formIndex.exemptions.push(i);
    exemptions.push(application);
  }

  let refusal: Loose | undefined;
  const ground = text("refusal.ground");
  if (ground === "cost" || ground === "vexatious" || ground === "repeated") {
    refusal = { ground, reasons: paragraphsFrom(text("refusal.reasons")) };
    const pi = publicInterest("refusal.publicInterest");
    if (pi) refusal.publicInterest = pi;
    if (ground === "cost") {
      const lines: Loose[] = [];
      for (const k of indexes("refusal.estimate.lines")) {
        const name = `refusal.estimate.lines.${k}`;
        const hoursText = text(`${name}.hours`);
        const line = { activity: text(`${name}.activity`), basis: text(`${name}.basis`) ?? "", hours: 0 };
        if (blank(line.activity, line.basis, hoursText)) continue;
        if (hoursText !== undefined) {
          const hours = Number(hoursText);
          if (!/^\d+(\.\d+)?$/.test(hoursText) || !Number.isFinite(hours))
            problems.add(`${name}.hours`, "Enter the hours as a number, like 12 or 7.5");
          else line.hours = hours;
        }
        formIndex["refusal.estimate.lines"].push(k);
        lines.push(line);
      }
      const limit = problems.pence(body, "refusal.estimate.limitPence");
      refusal.estimate = { lines, ...(limit !== undefined ? { limitPence: limit } : {}) };
    }
    if (ground === "repeated") {
      const reference = text("refusal.previousRequest.reference");
      const answered = problems.date(body, "refusal.previousRequest.answeredDate");
      if (reference || answered)
        refusal.previousRequest = { reference: reference ?? "", answeredDate: answered ?? "" };
    }
  }

  const disclosure: Loose[] = [];
  for (const i of indexes("disclosure")) {
    const name = `disclosure.${i}`;
    const kind = text(`${name}.kind`);
    const questionNumbers = numbers(body, `${name}.questionNumbers`);
    let block: Loose | undefined;
    if (kind === "text") {
      const content = text(`${name}.text`);
      if (content) block = { kind, text: content, questionNumbers };
    } else if (kind === "table") {
      const caption = text(`${name}.caption`);
      const table = text(`${name}.table`);
      if (caption || table) block = { kind, caption: caption ?? "", ...tableFrom(table), questionNumbers };
    } else if (kind === "attachment") {
      const fileName = text(`${name}.fileName`);
      if (fileName)
        block = { kind, fileName, description: text(`${name}.description`) ?? "", questionNumbers };
    }
    if (!block) continue;
    formIndex.disclosure.push(i);
    disclosure.push(block);
  }

  const advice: Loose[] = [];
  for (const i of indexes("advice")) {
    const name = `advice.${i}`;
    const url = text(`${name}.link.url`);
    const linkText = text(`${name}.link.text`);
    const item: Loose = {
      purpose: text(`${name}.purpose`) ?? "other",
      text: text(`${name}.text`) ?? "",
      ...(url || linkText ? { link: { url: url ?? "", text: linkText ?? "" } } : {}),
    };
    if (blank(item.text as string, url, linkText)) continue;
    formIndex.advice.push(i);
    advice.push(item);
  }

  const signOffName = text("signOff.name");
  const jobTitle = text("signOff.jobTitle");
  const input = {
    questions,
    reasons: paragraphsFrom(text("reasons")),
    exemptions,
    ...(refusal ? { refusal } : {}),
    disclosure,
    advice,
    ...(text("subjectAccessReference") ? { subjectAccessReference: text("subjectAccessReference") } : {}),
    ...(signOffName || jobTitle ? { signOff: { name: signOffName ?? "", jobTitle: jobTitle ?? "" } } : {}),
    ...(review
      ? {
          review: {
            ...(text("review.outcome") ? { outcome: text("review.outcome") } : {}),
            reasons: paragraphsFrom(text("review.reasons")),
            nextSteps: text("review.nextSteps") ?? "",
          },
        }
      : {}),
  } as unknown as ReplyInput;

  // The reply's own schema, here as well as in the service, so each problem names the field on this form.
  const check = replySchema.safeParse({
    ...input,
    reference: "-",
    regime: "foia",
    date: "2000-01-01",
    receivedDate: "2000-01-01",
    requester: {},
    ...(review
      ? { review: { ...(input.review ?? {}), requestedDate: "2000-01-01", replyDate: "2000-01-01" } }
      : {}),
  });
  const found: FieldProblem[] = [...problems.problems];
  const seen = new Set(found.map((problem) => problem.field));
  for (const issue of check.success ? [] : check.error.issues) {
    const field = replyFieldId(formPath(issue.path.map(String).join("."), formIndex));
    if (seen.has(field)) continue;
    seen.add(field);
    found.push({ field, message: issue.message });
  }
  if (found.length > 0) throw new DomainError("invalid", found[0]!.message, found[0]!.field, found);
  return input;
}

/** A path in the reply read from the form, with each list index turned back into the form's. */
function formPath(path: string, formIndex: Record<ListName, number[]>): string {
  for (const list of [...lists].sort((a, b) => b.length - a.length)) {
    const prefix = `${list}.`;
    if (!path.startsWith(prefix)) continue;
    const [index, ...rest] = path.slice(prefix.length).split(".");
    const mapped = formIndex[list][Number(index)];
    if (mapped === undefined) return path;
    return [`${list}.${mapped}`, ...rest].join(".");
  }
  return path;
}

/** Fields shown as one textarea of paragraphs, or one group of checkboxes: an item's index is dropped. */
const wholeFields = [
  /^reasons$/,
  /^review\.reasons$/,
  /^exemptions\.\d+\.(reasons|exemptionIds|questionNumbers|harm\.reasoning)$/,
  /^exemptions\.\d+\.publicInterest\.(favouringDisclosure|favouringWithholding)$/,
  /^refusal\.reasons$/,
  /^refusal\.publicInterest\.(favouringDisclosure|favouringWithholding)$/,
  /^disclosure\.\d+\.questionNumbers$/,
  /^refusal\.estimate\.aggregatedRequests$/,
];

/** The id of the element that shows a reply field on the editor (what an error summary links to). */
export function replyFieldId(path: string): string {
  const parts = path.split(".");
  for (let cut = parts.length; cut > 0; cut--) {
    const prefix = parts.slice(0, cut).join(".");
    if (wholeFields.some((pattern) => pattern.test(prefix))) return prefix;
  }
  const rules: [RegExp, string][] = [
    [/^questions\.(\d+)\.(concernsEmissions|requestersOwnData)$/, "questions.$1.flags"],
    [/^exemptions\.(\d+)\.harm$/, "exemptions.$1.harm.interest"],
    [/^exemptions\.(\d+)\.qualifiedPersonOpinion$/, "exemptions.$1.qualifiedPersonOpinion.name"],
    [/^disclosure\.(\d+)\.(rows|columns)(\..*)?$/, "disclosure.$1.table"],
    [/^disclosure\.(\d+)\.kind$/, "disclosure.$1"],
    [/^advice\.(\d+)\.link$/, "advice.$1.link.url"],
    [/^advice\.(\d+)\.purpose$/, "advice.$1.purpose"],
    [/^refusal\.previousRequest$/, "refusal.previousRequest.reference"],
    [/^refusal\.estimate\.aggregatedRequests.*$/, "refusal.estimate"],
    [/^refusal\.estimate\.lines$/, "refusal.estimate"],
    [/^refusal\.ground$/, "refusal.ground"],
    [/^refusal$/, "refusal.ground"],
    [/^(reference|regime|date|receivedDate|requester)(\..*)?$/, "reply-request"],
  ];
  for (const [pattern, replacement] of rules)
    if (pattern.test(path)) return path.replace(pattern, replacement);
  return path;
}

export const decisionChoices: readonly Decision[] = decisions;
export { advicePurposes };
