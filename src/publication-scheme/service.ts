import type { Kysely } from "kysely";
import { londonDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import { DomainError } from "../errors.ts";
import { assertCan } from "../users/index.ts";
import * as repo from "./repo.ts";
import {
  type Availability,
  availabilityLabels,
  type EntryInput,
  entryLink,
  isReviewDue,
  modelSchemeFor,
  reviewDueOn,
  validateEntry,
} from "./scheme.ts";

// The publication scheme (FOIA s.19, s.20; FOISA s.23): the model scheme's classes and the guide to
// information, on the public site and the API, and kept by managers in the back office. Handlers call these
// functions and nothing else.

type Db = Kysely<Database>;

/** Who is saving: their role, and their name as "last reviewed by" shows it. */
export interface SchemeEditor {
  label: string;
  role: string;
}

/** Who changes the guide: the authority's managers (it is the authority's commitment to publish). */
function requireEditor(actor: SchemeEditor): void {
  assertCan(actor, "edit-publication-scheme");
}

/** An entry as the public guide shows it: no names of staff. */
export interface PublicEntry {
  id: number;
  title: string;
  description: string;
  availability: Availability;
  availabilityLabel: string;
  /** Where to find it; null when it is available on request. */
  link: string | null;
  linkText: string | null;
  charge: string;
  reviewedOn: string;
}

export interface SchemeClass<E> {
  id: number;
  position: number;
  title: string;
  description: string;
  entries: E[];
}

type EntryRow = Awaited<ReturnType<typeof repo.entries>>[number];

function publicEntry(row: EntryRow): PublicEntry {
  const availability = row.availability;
  const link = entryLink({ availability, url: row.url, releaseId: row.release_id });
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    availability,
    availabilityLabel: availabilityLabels[availability],
    link,
    linkText: availability === "statistics" ? (row.release_title ?? row.title) : link,
    charge: row.charge,
    reviewedOn: row.reviewed_on,
  };
}

/** The classes of the authority's model scheme (FOISA s.23 in Scotland, FOIA s.19-20 elsewhere). */
async function schemeClasses(db: Db) {
  return repo.classes(db, modelSchemeFor(await repo.jurisdiction(db)));
}

async function byClass<E>(db: Db, shape: (row: EntryRow) => E): Promise<SchemeClass<E>[]> {
  const [classes, rows] = await Promise.all([schemeClasses(db), repo.entries(db)]);
  return classes.map((schemeClass) => ({
    ...schemeClass,
    entries: rows.filter((row) => row.class_id === schemeClass.id).map(shape),
  }));
}

/** The guide to information, class by class in the model scheme's order (the public page and the API). */
export async function publicationScheme(db: Db): Promise<SchemeClass<PublicEntry>[]> {
  return byClass(db, publicEntry);
}

export interface StaffEntry extends PublicEntry {
  reviewedBy: string;
  reviewDueOn: string;
  /** Not reviewed for 12 months or more: the guide must be kept up to date (FOIA s.19(2)(b), s.19(4)). */
  reviewDue: boolean;
}

/** The guide for the back office: who last reviewed each entry, and which are due for review on `now`. */
export async function schemeForStaff(db: Db, now: Date) {
  const today = londonDate(now);
  const classes = await byClass<StaffEntry>(db, (row) => ({
    ...publicEntry(row),
    reviewedBy: row.reviewed_by,
    reviewDueOn: reviewDueOn(row.reviewed_on),
    reviewDue: isReviewDue(row.reviewed_on, today),
  }));
  const due = classes.reduce((n, c) => n + c.entries.filter((entry) => entry.reviewDue).length, 0);
  return { classes, reviewDue: due };
}

/** The entry form: its choices (classes, released tables, ways of being available) and an entry's values. */
export async function entryForm(db: Db, id: number | null) {
  const [classes, releases, row] = await Promise.all([
    schemeClasses(db),
    repo.releaseChoices(db),
    id === null ? null : repo.entryById(db, id),
  ]);
  if (id !== null && !row)
    throw new DomainError("not-found", "There is no such entry in the publication scheme");
  return {
    classes: classes.map((c) => ({ id: c.id, title: `${c.position}. ${c.title}` })),
    releases,
    availabilities: Object.entries(availabilityLabels).map(([value, label]) => ({ value, label })),
    values: row
      ? {
          classId: String(row.class_id),
          title: row.title,
          description: row.description,
          availability: row.availability,
          url: row.url ?? "",
          releaseId: row.release_id === null ? "" : String(row.release_id),
          charge: row.charge,
        }
      : {},
  };
}

/**
 * Adds an entry (`id` null) or changes one; either way it is marked reviewed today by the editor. Returns its id.
 */
export async function saveEntry(
  db: Db,
  id: number | null,
  input: EntryInput,
  actor: SchemeEditor,
  now: Date,
): Promise<number> {
  requireEditor(actor);
  const entry = validateEntry(input);
  const scheme = modelSchemeFor(await repo.jurisdiction(db));
  if (!(await repo.classExists(db, entry.classId, scheme)))
    throw new DomainError("invalid", "Choose the class of information", "classId");
  if (entry.releaseId !== null && !(await repo.releaseExists(db, entry.releaseId)))
    throw new DomainError("invalid", "There is no such statistics table", "releaseId");
  const today = londonDate(now);
  if (id === null) return repo.insertEntry(db, entry, today, actor.label);
  if (!(await repo.updateEntry(db, id, entry, today, actor.label)))
    throw new DomainError("not-found", "There is no such entry in the publication scheme");
  return id;
}

export async function removeEntry(db: Db, id: number, actor: SchemeEditor): Promise<void> {
  requireEditor(actor);
  if (!(await repo.deleteEntry(db, id)))
    throw new DomainError("not-found", "There is no such entry in the publication scheme");
}
