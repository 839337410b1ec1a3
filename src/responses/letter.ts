import { z } from "zod";
import { type Block, replyBlocks, replyTitle } from "./document.ts";
import type { Reply } from "./reply.ts";

// The parts of a reply that belong to the letter and the email, not to the published page: the authority's
// letterhead, the requester's name and address, the salutation and the sign-off.

export const letterheadSchema = z.object({
  name: z.string().trim().min(1, { error: "Enter the authority's name" }).max(200),
  /** Lines separated by new lines (or, on one line, by commas). */
  address: z.string().trim().max(1000).default(""),
  email: z.string().trim().max(320).optional(),
  telephone: z.string().trim().max(50).optional(),
});
export type Letterhead = z.input<typeof letterheadSchema>;

/** An address as lines: new lines if it has them, otherwise its comma-separated parts. */
export function addressLines(address: string | undefined): string[] {
  if (!address) return [];
  const lines = address.includes("\n") ? address.split(/\r?\n/) : address.split(",");
  return lines.map((line) => line.trim()).filter((line) => line !== "");
}

/**
 * A letter on the authority's letterhead, as the PDF and Word renderings take it: the reply is one, the
 * acknowledgement of a request received by post another.
 */
export interface Letter {
  /** The document's title (PDF and Word properties). */
  title: string;
  /** What the document is, in its properties: "Response to a request for information". */
  subject: string;
  reference: string;
  /** The letter's date (YYYY-MM-DD), which also dates the files. */
  date: string;
  requester: { name: string; address?: string | undefined; email?: string | undefined };
  signOff?: { name?: string | undefined; jobTitle?: string | undefined } | undefined;
  blocks: Block[];
}

/** The reply as a letter. */
export function replyLetter(reply: Reply): Letter {
  return {
    title: replyTitle(reply),
    subject: "Response to a request for information",
    reference: reply.reference,
    date: reply.date,
    requester: reply.requester,
    signOff: reply.signOff,
    blocks: replyBlocks(reply),
  };
}

type Addressed = Pick<Letter, "requester" | "signOff">;

/** "Dear Priya Raman," — or "Dear Sir or Madam," when the name is not known (EIR requests may be anonymous). */
export function salutation(reply: Addressed): string {
  const name = reply.requester.name.trim();
  return `Dear ${name || "Sir or Madam"},`;
}

/**
 * The closing lines: "Yours sincerely," to a named requester, "Yours faithfully," after "Dear Sir or Madam",
 * then the signatory's name and job title when recorded.
 */
export function signOffLines(reply: Addressed): string[] {
  const lines = [reply.requester.name.trim() ? "Yours sincerely," : "Yours faithfully,"];
  if (reply.signOff?.name) lines.push(reply.signOff.name);
  if (reply.signOff?.jobTitle) lines.push(reply.signOff.jobTitle);
  return lines;
}
