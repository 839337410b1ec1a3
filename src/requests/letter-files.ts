import { createHash } from "node:crypto";
import { type FileStore, newStorageKey } from "../storage/index.ts";
import * as replyRepo from "./reply-repo.ts";
import type * as repo from "./repo.ts";

// The letters foidesk writes (a reply, an acknowledgement by post) are kept on the request as documents: a
// PDF to send or print and a Word copy to edit, exactly as they went.

export const letterMediaTypes = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
} as const;

/** A file name from a reference: "01.FOI.26.000014" stays as it is; anything odd becomes "-". */
export function fileStem(reference: string): string {
  return reference.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 80) || "reply";
}

/**
 * Stores a letter's PDF and Word files and records them as documents of the request, in the caller's
 * transaction. Returns their ids; `storedKeys` collects what was written to the file store, for the caller
 * to remove should its transaction fail.
 */
export async function storeLetterFiles(
  trx: repo.Tx,
  files: FileStore,
  requestId: number,
  letter: { pdf: { filename: string; bytes: Uint8Array }; docx: { filename: string; bytes: Uint8Array } },
  recorded: { by: string; at: Date; partOfReply: boolean },
  storedKeys: string[],
): Promise<{ pdfId: number; docxId: number }> {
  const ids: number[] = [];
  for (const format of ["pdf", "docx"] as const) {
    const { filename, bytes } = letter[format];
    const key = newStorageKey(recorded.at);
    await files.put(key, bytes);
    storedKeys.push(key);
    ids.push(
      await replyRepo.insertLetterDocument(trx, {
        requestId,
        filename,
        mediaType: letterMediaTypes[format],
        bytes: bytes.byteLength,
        sha256: createHash("sha256").update(bytes).digest("hex"),
        storageKey: key,
        by: recorded.by,
        at: recorded.at,
        partOfReply: recorded.partOfReply,
      }),
    );
  }
  return { pdfId: ids[0]!, docxId: ids[1]! };
}
