import type { Kysely } from "kysely";
import { londonDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import { DomainError } from "../errors.ts";
import { type Letterhead, parseReply, renderReplyDocx, renderReplyPdf } from "../responses/index.ts";
import type { FileStore } from "../storage/index.ts";
import { fileStem, letterMediaTypes } from "./letter-files.ts";
import { letterFonts } from "./letter-fonts.ts";
import { fixedFields, letters, requestRow } from "./letter-kinds.ts";
import { replyFor } from "./reply-draft.ts";
import type { LetterKind } from "./reply-repo.ts";
import * as replyRepo from "./reply-repo.ts";

// A letter as files: the authority's letterhead, and the PDF letter and Word document of a reply or review
// letter (the very files sent, once it is sent).

type Db = Kysely<Database>;

/** The authority's letterhead, from its settings; `fallbackName` while they give no name. */
export async function replyLetterhead(db: Db, fallbackName = "Freedom of Information"): Promise<Letterhead> {
  const authority = await replyRepo.authorityLetterhead(db);
  return {
    name: authority.name || fallbackName,
    address: authority.address,
    ...(authority.email ? { email: authority.email } : {}),
    ...(authority.phone ? { telephone: authority.phone } : {}),
  };
}

export interface ReplyFile {
  filename: string;
  mediaType: string;
  bytes: Uint8Array;
}

/**
 * The reply as a PDF letter or Word document: once sent, the very files that were sent (kept on the request);
 * before, the draft rendered now, dated today, with the request's reference and requester as when it is sent.
 */
export async function renderReplyFile(
  db: Db,
  files: FileStore,
  requestId: number,
  format: "pdf" | "docx",
  now: Date,
  letter: LetterKind = "reply",
): Promise<ReplyFile> {
  const stored = await replyFor(db, requestId, letter);
  if (!stored)
    throw new DomainError(
      "not-found",
      `No ${letter === "review" ? "review letter" : "reply"} has been drafted for this request`,
    );
  const sentId = format === "pdf" ? stored.letterDocumentId : stored.wordDocumentId;
  if (stored.sentAt && sentId !== null) {
    const [document] = await replyRepo.documentsByIds(db, requestId, [sentId]);
    if (document)
      return {
        filename: document.filename,
        mediaType: document.media_type,
        bytes: await files.get(document.storage_key),
      };
  }
  const row = await requestRow(db, requestId);
  const reply = parseReply({
    ...stored.content,
    ...(await fixedFields(db, row, letter, stored.content)),
    date: stored.sentAt ? (stored.reply?.date ?? londonDate(now)) : londonDate(now),
  });
  const letterhead = await replyLetterhead(db);
  const bytes =
    format === "pdf"
      ? await renderReplyPdf(reply, letterhead, { fonts: await letterFonts() })
      : await renderReplyDocx(reply, letterhead);
  const stem = `${fileStem(row.reference)}-${letters[letter].stem}${stored.sentAt ? "" : "-draft"}`;
  return { filename: `${stem}.${format}`, mediaType: letterMediaTypes[format], bytes };
}
