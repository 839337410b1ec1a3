import type { Kysely } from "kysely";
import type { z } from "zod";
import { londonDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import { DomainError, parseInput } from "../errors.ts";
import {
  defaultParagraphLibrary,
  fillPlaceholders,
  formatLongDate,
  libraryParagraphSchema,
  type ParagraphKind,
  type PlaceholderName,
  paragraphKinds,
} from "../responses/index.ts";
import { assertCan } from "../users/index.ts";
import { requestRow } from "./letter-kinds.ts";
import { replyLetterhead } from "./reply-files.ts";
import * as replyRepo from "./reply-repo.ts";
import type { Actor } from "./workflow.ts";

// The paragraph library: managers keep it, officers insert from it.

type Db = Kysely<Database>;

export interface ParagraphEntry {
  id: number;
  kind: ParagraphKind;
  exemptionId: string | null;
  title: string;
  text: string;
  updatedAt: Date;
  updatedBy: string;
}

const paragraphInputSchema = libraryParagraphSchema.omit({ key: true });
export type ParagraphInput = z.input<typeof paragraphInputSchema>;

function toEntry(row: Awaited<ReturnType<typeof replyRepo.paragraphs>>[number]): ParagraphEntry {
  return {
    id: row.id,
    kind: (paragraphKinds as readonly string[]).includes(row.kind) ? (row.kind as ParagraphKind) : "other",
    exemptionId: row.exemption_id,
    title: row.title,
    text: row.body,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/** Fills an empty library with foidesk's stock paragraphs (the catalogue's samples and standard wording). */
export async function ensureParagraphLibrary(db: Db, now: Date): Promise<number> {
  return replyRepo.seedParagraphsIfEmpty(
    db,
    defaultParagraphLibrary.map((paragraph) => ({
      kind: paragraph.kind,
      exemption_id: paragraph.exemptionId ?? null,
      title: paragraph.title,
      body: paragraph.text,
    })),
    now,
  );
}

/** The library (seeded on first use), optionally of one kind or for one exemption. */
export async function paragraphLibrary(
  db: Db,
  now: Date,
  filter: { kind?: string | undefined; exemptionId?: string | undefined } = {},
): Promise<ParagraphEntry[]> {
  await ensureParagraphLibrary(db, now);
  return (await replyRepo.paragraphs(db, filter)).map(toEntry);
}

export async function libraryParagraph(db: Db, id: number): Promise<ParagraphEntry> {
  const row = await replyRepo.paragraphById(db, id);
  if (!row) throw new DomainError("not-found", "There is no such paragraph in the library");
  return toEntry(row);
}

function assertLibraryEditor(actor: Actor): void {
  assertCan(actor, "edit-paragraph-library");
}

/** Adds a paragraph (id null) or changes one; managers only. */
export async function saveParagraph(
  db: Db,
  id: number | null,
  input: unknown,
  actor: Actor,
  now: Date,
): Promise<number> {
  assertLibraryEditor(actor);
  const paragraph = parseInput(paragraphInputSchema, input);
  const values = {
    kind: paragraph.kind,
    exemption_id: paragraph.exemptionId || null,
    title: paragraph.title,
    body: paragraph.text,
  };
  if (id === null) return replyRepo.insertParagraph(db, values, now, actor.label);
  if (!(await replyRepo.updateParagraph(db, id, values, now, actor.label)))
    throw new DomainError("not-found", "There is no such paragraph in the library");
  return id;
}

export async function deleteParagraph(db: Db, id: number, actor: Actor): Promise<void> {
  assertLibraryEditor(actor);
  if (!(await replyRepo.deleteParagraph(db, id)))
    throw new DomainError("not-found", "There is no such paragraph in the library");
}

/** A library paragraph with the request's placeholders filled, ready to insert into its reply. */
export async function paragraphForRequest(
  db: Db,
  requestId: number,
  paragraphId: number,
  now: Date,
): Promise<string> {
  const [paragraph, row, letterhead] = await Promise.all([
    libraryParagraph(db, paragraphId),
    requestRow(db, requestId),
    replyLetterhead(db),
  ]);
  const values: Partial<Record<PlaceholderName, string>> = {
    requesterName: row.requester_name || undefined,
    reference: row.reference,
    date: formatLongDate(londonDate(now)),
    receivedDate: formatLongDate(row.received_date),
    authorityName: letterhead.name,
  };
  return fillPlaceholders(paragraph.text, values).text;
}
