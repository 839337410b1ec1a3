import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError } from "../errors.ts";
import { isInformationRegime } from "../law/index.ts";
import { type Reply, renderReplyHtml, sizeText } from "../responses/index.ts";
import type { FileStore } from "../storage/index.ts";
import { exemptionFacetName, outcomeName, regimeNames } from "./facets.ts";
import { type SitemapUrl, sitemapIndexXml, sitemapXml } from "./feeds.ts";
import * as repo from "./repo.ts";
import { publicPath } from "./service.ts";

// The public side of the disclosure log beyond search: a reply's page, its files and sitemap.xml. Reads the
// published tables only.

export type PublishedPage =
  | {
      status: "published";
      reference: string;
      title: string;
      regimeName: string;
      receivedDate: string;
      replyDate: string;
      publishedAt: Date;
      topic: string | null;
      outcomeName: string;
      exemptions: { key: string; name: string }[];
      /** The reply's web rendering (responses.renderReplyHtml): escaped, requester-free. */
      html: string;
      attachments: {
        id: number;
        fileName: string;
        mediaType: string;
        sizeBytes: number;
        /** "CSV", "PDF": what kind of file, in words. */
        kind: string;
        /** "2 KB". */
        size: string;
        url: string;
      }[];
    }
  | { status: "withdrawn"; reference: string; withdrawnAt: Date };

export function attachmentPath(reference: string, id: number, fileName: string): string {
  return `${publicPath(reference)}/files/${id}/${encodeURIComponent(fileName)}`;
}

function fileKind(fileName: string, mediaType: string): string {
  const extension = /\.([a-z0-9]{1,5})$/i.exec(fileName)?.[1];
  return extension ? extension.toUpperCase() : mediaType;
}

/** A published reply's page, or that it was taken down (410 Gone); not-found when it never existed. */
export async function publishedPage(db: Kysely<Database>, reference: string): Promise<PublishedPage> {
  const row = await repo.publishedByReference(db, reference);
  if (!row) throw new DomainError("not-found", "There is no reply with this reference on the disclosure log");
  if (row.withdrawn_at)
    return { status: "withdrawn", reference: row.reference, withdrawnAt: row.withdrawn_at };
  const attachments = await repo.publishedAttachmentList(db, row.id);
  return {
    status: "published",
    reference: row.reference,
    title: row.title,
    regimeName: isInformationRegime(row.regime) ? regimeNames[row.regime] : row.regime,
    receivedDate: row.received_date,
    replyDate: row.reply_date,
    publishedAt: row.published_at,
    topic: row.topic,
    outcomeName: outcomeName(row.outcome),
    exemptions: row.exemptions.map((key) => ({ key, name: exemptionFacetName(key) })),
    // Stored as the allow-listed, masked Reply that publishing built (never read from casework).
    html: renderReplyHtml(row.reply as unknown as Reply, { headingLevel: 2 }),
    attachments: attachments.map((file) => ({
      id: file.id,
      fileName: file.file_name,
      mediaType: file.media_type,
      sizeBytes: file.size_bytes,
      kind: fileKind(file.file_name, file.media_type),
      size: sizeText(file.size_bytes),
      url: attachmentPath(row.reference, file.id, file.file_name),
    })),
  };
}

/** A published file: its masked copy, or (checked by a manager) the file as sent. */
export async function publishedFile(db: Kysely<Database>, files: FileStore, reference: string, id: number) {
  const file = await repo.publishedAttachment(db, reference, id);
  if (!file) throw new DomainError("not-found", "There is no such file on the disclosure log");
  const bytes = file.content ?? (file.storage_key ? await files.get(file.storage_key) : new Uint8Array());
  return { fileName: file.file_name, mediaType: file.media_type, bytes };
}

/** URLs per sitemap file (the protocol allows 50,000). */
export const SITEMAP_PAGE_SIZE = 45_000;

/**
 * sitemap.xml: the start page, the disclosure log and every published reply; past one file's worth, an
 * index of numbered files (`/sitemap.xml?page=1`, 2, …).
 */
export async function sitemap(db: Kysely<Database>, baseUrl: string, page?: number): Promise<string> {
  const total = await repo.countPublished(db);
  const files = Math.ceil(total / SITEMAP_PAGE_SIZE);
  if (page === undefined && files > 1)
    return sitemapIndexXml(
      baseUrl,
      Array.from({ length: files }, (_, i) => `/sitemap.xml?page=${i + 1}`),
    );
  const number = page ?? 1;
  if (number < 1 || (number > 1 && number > files))
    throw new DomainError("not-found", "There is no such sitemap");
  const rows = await repo.sitemapEntries(db, SITEMAP_PAGE_SIZE, (number - 1) * SITEMAP_PAGE_SIZE);
  const urls: SitemapUrl[] = [
    ...(number === 1 ? [{ path: "/" }, { path: "/disclosure-log" }] : []),
    ...rows.map((row) => ({ path: publicPath(row.reference), lastModified: row.published_at })),
  ];
  return sitemapXml(baseUrl, urls);
}
