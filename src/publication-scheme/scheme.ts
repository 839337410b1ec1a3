import { addMonthsClamped, formatIsoDate, tryParseIsoDate } from "../calendar/index.ts";
import { DomainError, type FieldProblem } from "../errors.ts";
import { isScottishAuthority } from "../law/index.ts";

// The guide to information's rules, pure (no I/O, no clock): what an entry must say and when it is due for
// review. The model publication scheme asks the authority to say, for each class, what it publishes, how it
// is available and what it charges (ICO model publication scheme, "guide to information"), and to keep the
// guide up to date (FOIA s.19(2)(b): publish in accordance with the scheme; s.19(4): review the scheme).

/** The model scheme an authority adopts: the Scottish Information Commissioner's in Scotland (FOISA s.23),
 * the ICO's elsewhere (FOIA s.19-20, which covers England, Wales and Northern Ireland). */
export type ModelScheme = "ico" | "sic";

export function modelSchemeFor(jurisdiction: string | undefined): ModelScheme {
  return isScottishAuthority(jurisdiction) ? "sic" : "ico";
}

/** How an entry is available: a web address, on request by email or post, the disclosure log, a released table. */
export type Availability = "web" | "on-request" | "disclosure-log" | "statistics";

export const availabilityLabels: Record<Availability, string> = {
  web: "On our website",
  "on-request": "On request, by email or post",
  "disclosure-log": "In our disclosure log",
  statistics: "A published statistics table",
};

export function isAvailability(value: unknown): value is Availability {
  return typeof value === "string" && Object.hasOwn(availabilityLabels, value);
}

/** An entry as a form or the API sends it: text, trimmed or missing. */
export interface EntryInput {
  classId?: string | number | undefined;
  title?: string | undefined;
  description?: string | undefined;
  availability?: string | undefined;
  url?: string | undefined;
  releaseId?: string | number | undefined;
  charge?: string | undefined;
}

export interface ValidEntry {
  classId: number;
  title: string;
  description: string;
  availability: Availability;
  url: string | null;
  releaseId: number | null;
  charge: string;
}

const TITLE_MAX = 200;
const TEXT_MAX = 2000;

function positiveId(value: string | number | undefined): number | null {
  const text = String(value ?? "").trim();
  if (!/^[1-9][0-9]{0,8}$/.test(text)) return null;
  return Number(text);
}

function webAddress(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** Checks an entry, naming every bad field at once (the error summary lists them all). */
export function validateEntry(input: EntryInput): ValidEntry {
  const problems: FieldProblem[] = [];
  const classId = positiveId(input.classId);
  if (classId === null) problems.push({ field: "classId", message: "Choose the class of information" });
  const title = (input.title ?? "").trim();
  if (!title) problems.push({ field: "title", message: "Enter a title" });
  else if (title.length > TITLE_MAX)
    problems.push({ field: "title", message: `The title must be ${TITLE_MAX} characters or fewer` });
  const description = (input.description ?? "").trim();
  if (description.length > TEXT_MAX)
    problems.push({
      field: "description",
      message: `The description must be ${TEXT_MAX} characters or fewer`,
    });
  const charge = (input.charge ?? "").trim();
  if (charge.length > TITLE_MAX)
    problems.push({ field: "charge", message: `The charge must be ${TITLE_MAX} characters or fewer` });
  const availability = input.availability;
  let url: string | null = null;
  let releaseId: number | null = null;
  const urlText = (input.url ?? "").trim();
  if (!isAvailability(availability)) {
    problems.push({ field: "availability", message: "Choose how the information is available" });
  } else if (availability === "web") {
    if (!urlText) problems.push({ field: "url", message: "Enter the web address" });
    else if (!webAddress(urlText))
      problems.push({ field: "url", message: "Enter a web address starting with http:// or https://" });
    else url = urlText;
  } else if (availability === "disclosure-log") {
    // The disclosure log's own pages: the whole log or one published reply.
    const path = urlText || "/disclosure-log";
    if (!/^\/disclosure-log(\/[A-Za-z0-9/_-]*)?$/.test(path))
      problems.push({
        field: "url",
        message:
          "Enter a page of the disclosure log, starting /disclosure-log (or leave it blank for the whole log)",
      });
    else url = path;
  } else if (availability === "statistics") {
    releaseId = positiveId(input.releaseId);
    if (releaseId === null) problems.push({ field: "releaseId", message: "Choose the statistics table" });
  }
  if (problems.length > 0) {
    const first = problems[0] as FieldProblem;
    throw new DomainError("invalid", first.message, first.field, problems);
  }
  return {
    classId: classId as number,
    title,
    description,
    availability: availability as Availability,
    url,
    releaseId,
    charge,
  };
}

/** How long an entry may go unreviewed: a year, so the guide is kept current (FOIA s.19(2)(b), s.19(4)). */
export const REVIEW_MONTHS = 12;

/** The day an entry last reviewed on `reviewedOn` (YYYY-MM-DD) is due for review again. */
export function reviewDueOn(reviewedOn: string): string {
  return formatIsoDate(addMonthsClamped(tryParseIsoDate(reviewedOn), REVIEW_MONTHS));
}

/** Whether an entry is due for review on `today` (both YYYY-MM-DD): 12 months or more since it was reviewed. */
export function isReviewDue(reviewedOn: string, today: string): boolean {
  return reviewDueOn(reviewedOn) <= today;
}

/** Where an entry links: its web address, the disclosure log's page, or the released table's page. */
export function entryLink(entry: {
  availability: Availability;
  url: string | null;
  releaseId: number | null;
}): string | null {
  if (entry.availability === "statistics")
    return entry.releaseId === null ? null : `/statistics/${entry.releaseId}`;
  return entry.url;
}
