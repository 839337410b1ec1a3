import type { DisclosureLogResult } from "./search.ts";

// The disclosure log in other shapes: an Atom feed (RFC 4287) of new replies, for the whole log or for one
// search; the listing as CSV; and sitemap.xml. Pure: the rows and the site's address come in, text goes out.

// Characters XML 1.0 does not allow, whatever the escaping.
const notXml = /(?![\t\n\r])[\p{Cc}\ufffe\uffff]/gu;

function xml(text: string): string {
  return text
    .replace(notXml, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

export function absoluteUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}${path}`;
}

export interface FeedInput {
  baseUrl: string;
  authorityName: string;
  /** The feed's own address and the HTML search it follows (both paths with their query). */
  selfPath: string;
  alternatePath: string;
  /** What the feed follows, e.g. `replies matching "speed cameras"`; empty for the whole log. */
  description: string;
  entries: readonly DisclosureLogResult[];
  /** When the feed was last changed when it has no entries (the log is empty). */
  emptyUpdated: Date;
}

export function atomFeed(input: FeedInput): string {
  const updated = input.entries.reduce<Date | null>(
    (latest, entry) => (!latest || entry.publishedAt > latest ? entry.publishedAt : latest),
    null,
  );
  const title = `Disclosure log: ${input.authorityName}${input.description ? ` – ${input.description}` : ""}`;
  const entries = input.entries.map((entry) => {
    const url = absoluteUrl(input.baseUrl, entry.url);
    const categories = [entry.outcomeName, ...entry.exemptions.map((exemption) => exemption.name)]
      .map((term) => `    <category term="${xml(term)}"/>`)
      .join("\n");
    return `  <entry>
    <id>${xml(url)}</id>
    <title>${xml(`${entry.reference}: ${entry.title}`)}</title>
    <link rel="alternate" type="text/html" href="${xml(url)}"/>
    <updated>${entry.publishedAt.toISOString()}</updated>
    <published>${entry.publishedAt.toISOString()}</published>
    <summary type="text">${xml(`${entry.outcomeName}. Replied ${entry.replyDate}. ${entry.snippetText}`)}</summary>
${categories}
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(absoluteUrl(input.baseUrl, input.selfPath))}</id>
  <title>${xml(title)}</title>
  <updated>${(updated ?? input.emptyUpdated).toISOString()}</updated>
  <author><name>${xml(input.authorityName)}</name></author>
  <link rel="self" type="application/atom+xml" href="${xml(absoluteUrl(input.baseUrl, input.selfPath))}"/>
  <link rel="alternate" type="text/html" href="${xml(absoluteUrl(input.baseUrl, input.alternatePath))}"/>
${entries.join("\n")}
</feed>
`;
}

/** A CSV cell: quoted when it must be; a leading = + - @ is defused so a spreadsheet shows it as text. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvColumns = [
  "Reference",
  "Summary",
  "Date received",
  "Date of reply",
  "Regime",
  "Outcome",
  "Exemptions cited",
  "Topic",
  "Web address",
] as const;

export function listingCsv(baseUrl: string, rows: readonly DisclosureLogResult[]): string {
  const lines = [csvColumns.join(",")];
  for (const row of rows) {
    lines.push(
      [
        row.reference,
        row.title,
        row.receivedDate,
        row.replyDate,
        row.regimeName,
        row.outcomeName,
        row.exemptions.map((exemption) => exemption.name).join("; "),
        row.topic ?? "",
        absoluteUrl(baseUrl, row.url),
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

export interface SitemapUrl {
  path: string;
  lastModified?: Date | undefined;
}

export function sitemapXml(baseUrl: string, urls: readonly SitemapUrl[]): string {
  const items = urls.map(
    (url) =>
      `  <url><loc>${xml(absoluteUrl(baseUrl, url.path))}</loc>${url.lastModified ? `<lastmod>${url.lastModified.toISOString().slice(0, 10)}</lastmod>` : ""}</url>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${items.join("\n")}
</urlset>
`;
}

export function sitemapIndexXml(baseUrl: string, paths: readonly string[]): string {
  const items = paths.map((path) => `  <sitemap><loc>${xml(absoluteUrl(baseUrl, path))}</loc></sitemap>`);
  return `<?xml version="1.0" encoding="utf-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${items.join("\n")}
</sitemapindex>
`;
}
