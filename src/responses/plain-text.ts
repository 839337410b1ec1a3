import { type Block, replyBlocks } from "./document.ts";
import { salutation, signOffLines } from "./letter.ts";
import type { Reply } from "./reply.ts";

// The reply as plain text for the body of the email that sends it: the salutation, the same blocks as every
// other rendering, and the sign-off. Lines are not wrapped (mail clients wrap them).

function tableText(block: Extract<Block, { kind: "table" }>): string[] {
  const rows = [block.columns, ...block.rows.map((row) => block.columns.map((_, i) => row[i] ?? ""))];
  const widths = block.columns.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join(" | ")
      .trimEnd();
  const lines = block.caption ? [block.caption, ""] : [];
  lines.push(line(rows[0] ?? []), widths.map((width) => "-".repeat(width)).join("-+-"));
  for (const row of rows.slice(1)) lines.push(line(row));
  return lines;
}

/** A link as a mail client shows it: the address alone when the text is the address, otherwise both. */
function runText(run: { text: string; href?: string }): string {
  if (!run.href) return run.text;
  const bare = run.href.replace(/^https?:\/\//, "").replace(/\/$/, "");
  return bare === run.text.replace(/\/$/, "") ? run.href : `${run.text}: ${run.href}`;
}

function blockText(block: Block): string[] {
  switch (block.kind) {
    case "heading":
      if (block.level === 3) return [block.text];
      return [block.text, (block.level === 1 ? "=" : "-").repeat(block.text.length)];
    case "paragraph":
      return [block.runs.map(runText).join("")];
    case "list":
      return block.items.map((item, i) => (block.ordered ? `${i + 1}. ${item}` : `- ${item}`));
    case "table":
      return tableText(block);
  }
}

/** The subject of the email that sends the reply, or the internal review's letter. */
export function replyEmailSubject(reply: Reply): string {
  return reply.review
    ? `The result of the internal review of your request ${reply.reference}`
    : `Our reply to your request ${reply.reference}`;
}

/** The reply as the body of an email to the requester. */
export function replyPlainText(reply: Reply): string {
  const sections = [[salutation(reply)], ...replyBlocks(reply).map(blockText), signOffLines(reply)];
  return `${sections.map((lines) => lines.join("\n")).join("\n\n")}\n`;
}
