import { type Block, type Run, replyBlocks } from "./document.ts";
import type { Reply } from "./reply.ts";

// The reply as an HTML fragment for the disclosure log and the requester's tracking page, in GOV.UK Frontend
// classes. Everything from the reply is escaped; links are http(s) only (the schema refuses others, and this
// renders any other as plain text). The requester's name, address and the signatory never appear here.

const escapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => escapes[character] ?? character);
}

function isWebAddress(url: string): boolean {
  return /^https?:\/\/[^\s<>"]+$/i.test(url);
}

function runHtml(run: Run): string {
  let html = escapeHtml(run.text);
  if (run.href && isWebAddress(run.href))
    html = `<a class="govuk-link" href="${escapeHtml(run.href)}">${html}</a>`;
  return run.bold ? `<strong>${html}</strong>` : html;
}

const headingClasses = { 1: "govuk-heading-l", 2: "govuk-heading-m", 3: "govuk-heading-s" } as const;

function blockHtml(block: Block, offset: number): string {
  switch (block.kind) {
    case "heading": {
      const level = Math.min(block.level + offset, 6);
      return `<h${level} class="${headingClasses[block.level]}">${escapeHtml(block.text)}</h${level}>`;
    }
    case "paragraph":
      return `<p class="govuk-body">${block.runs.map(runHtml).join("")}</p>`;
    case "list": {
      const tag = block.ordered ? "ol" : "ul";
      const style = block.ordered ? "govuk-list--number" : "govuk-list--bullet";
      const items = block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join("");
      return `<${tag} class="govuk-list ${style}">${items}</${tag}>`;
    }
    case "table": {
      const caption = block.caption
        ? `<caption class="govuk-table__caption govuk-table__caption--s">${escapeHtml(block.caption)}</caption>`
        : "";
      const head = block.columns
        .map((column) => `<th scope="col" class="govuk-table__header">${escapeHtml(column)}</th>`)
        .join("");
      const rows = block.rows
        .map((row) => {
          const cells = block.columns
            .map((_, i) => `<td class="govuk-table__cell">${escapeHtml(row[i] ?? "")}</td>`)
            .join("");
          return `<tr class="govuk-table__row">${cells}</tr>`;
        })
        .join("");
      return `<table class="govuk-table">${caption}<thead class="govuk-table__head"><tr class="govuk-table__row">${head}</tr></thead><tbody class="govuk-table__body">${rows}</tbody></table>`;
    }
  }
}

export interface HtmlOptions {
  /** The level of the reference heading: 1 on a page of its own, 2 inside a page that has its own h1. */
  headingLevel?: 1 | 2;
}

/** The reply as an HTML fragment, one element per line. */
export function renderReplyHtml(reply: Reply, options: HtmlOptions = {}): string {
  const offset = (options.headingLevel ?? 1) - 1;
  const body = replyBlocks(reply)
    .map((block) => blockHtml(block, offset))
    .join("\n");
  return `<div class="app-reply">\n${body}\n</div>\n`;
}
