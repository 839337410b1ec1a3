import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import {
  gangsReplyInput,
  parseReply,
  type ReplyInput,
  renderReplyDocx,
  renderReplyPdf,
} from "../responses/index.ts";
import { type FileStore, newStorageKey } from "../storage/index.ts";
import { letterFonts } from "./letter-fonts.ts";
import { ensureParagraphLibrary } from "./paragraph-library.ts";
import { recordEvent } from "./record-event.ts";
import { saveReplyDraft } from "./reply-draft.ts";
import { replyLetterhead } from "./reply-files.ts";
import * as replyRepo from "./reply-repo.ts";
import * as repo from "./repo.ts";

// The demo's replies: the gangs request (the first demo request, still being worked) gets the worked example
// as its draft, complete, so a new user can open it, see it validate, submit it, approve it as the approver
// and send it; and the demo's answered requests that have a sent reply get its letter and Word document on
// file (part of the reply), so the tracking page has them to download. Also seeds the paragraph library.

/** The worked gangs reply, without what the request itself supplies (reference, dates, requester). */
function gangsDraft(questions: readonly string[]): ReplyInput {
  const { reference: _r, regime: _g, date: _d, receivedDate: _rd, requester: _q, ...rest } = gangsReplyInput;
  const example = rest.questions ?? [];
  return {
    ...rest,
    questions: example.map((question, i) => ({ ...question, text: questions[i] ?? question.text })),
  } as ReplyInput;
}

export async function draftDemoReplies(db: Kysely<Database>, now: Date, files?: FileStore): Promise<void> {
  await ensureParagraphLibrary(db, now);
  const gangs = await db
    .selectFrom("requests as r")
    .innerJoin("users as u", "u.id", "r.assignee_id")
    .select(["r.id", "r.version", "r.questions", "u.id as userId", "u.display_name", "u.role"])
    .where("r.topic", "=", "Gangs")
    .where("r.state", "in", ["in-progress", "extended"])
    .orderBy("r.id")
    .executeTakeFirst();
  if (gangs && !(await replyRepo.replyRow(db, gangs.id))) {
    const officer = { userId: gangs.userId, label: gangs.display_name, role: gangs.role };
    await saveReplyDraft(db, gangs.id, gangsDraft(gangs.questions), gangs.version, officer, now);
  }
  if (!files) return;

  const letterhead = await replyLetterhead(db);
  for (const sent of await replyRepo.sentRepliesWithoutLetters(db)) {
    let reply: ReturnType<typeof parseReply>;
    try {
      reply = parseReply(sent.content);
    } catch {
      continue;
    }
    const stem = sent.reference.replace(/[^A-Za-z0-9._-]+/g, "-");
    const at = sent.sent_at ?? now;
    const renderings = [
      [
        `${stem}-reply.pdf`,
        "application/pdf",
        await renderReplyPdf(reply, letterhead, { fonts: await letterFonts() }),
      ],
      [
        `${stem}-reply.docx`,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        await renderReplyDocx(reply, letterhead),
      ],
    ] as const;
    await db.transaction().execute(async (trx) => {
      if (!(await repo.lockRequest(trx, sent.request_id))) return;
      const ids: number[] = [];
      for (const [filename, mediaType, bytes] of renderings) {
        const key = newStorageKey(at);
        await files.put(key, bytes);
        const sha256 = createHash("sha256").update(bytes).digest("hex");
        const id = await replyRepo.insertLetterDocument(trx, {
          requestId: sent.request_id,
          filename,
          mediaType,
          bytes: bytes.byteLength,
          sha256,
          storageKey: key,
          by: sent.updated_by,
          at,
          partOfReply: true,
        });
        ids.push(id);
        await recordEvent(
          trx,
          sent.request_id,
          "document-added",
          { documentId: id, filename, sha256, sizeBytes: bytes.byteLength },
          { userId: null, label: "foidesk (demo)", role: "system" },
          now,
        );
      }
      await replyRepo.setReplyLetters(trx, sent.request_id, ids[0]!, ids[1]!);
    });
  }
}
