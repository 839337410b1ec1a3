// Publication: the disclosure log. Publishing sent replies (by a manager, or automatically when due) from an
// allow-list of fields with personal data masked, previewing and taking them down, the redactions that apply,
// and the public side: search with filters and snippets, a reply's page and files, feeds, CSV and sitemap;
// for staff, the published replies most like a request (DESIGN.md).
export { publishDemoReplies } from "./demo.ts";
export {
  exemptionFacet,
  exemptionFacetName,
  outcomeName,
  regimeNames,
  regimeShortNames,
} from "./facets.ts";
export { absoluteUrl, atomFeed, csvColumns, listingCsv } from "./feeds.ts";
export {
  attachmentPath,
  type PublishedPage,
  publishedFile,
  publishedPage,
  SITEMAP_PAGE_SIZE,
  sitemap,
} from "./log.ts";
export {
  type AttachmentPlan,
  buildPublishedRecord,
  OWN_DATA_QUESTION,
  type PublicationPreview,
  type PublishedRecord,
  previewPublication,
  publicReply,
} from "./record.ts";
export {
  createRedactor,
  type Mask,
  type MaskKind,
  maskKindLabels,
  maskText,
  REDACTED,
  type Redactor,
  type RequesterIdentifiers,
} from "./redaction.ts";
export type { FacetName, SearchFilters, SearchSort } from "./repo.ts";
export {
  PUBLISH_DUE_LEASE,
  type PublicationSchedule,
  publishDueIfFree,
  schedulePublication,
} from "./schedule.ts";
export {
  type DisclosureLogPage,
  type DisclosureLogParams,
  type DisclosureLogResult,
  type FacetValue,
  filterLabel,
  MAX_PAGE,
  MAX_QUERY_LENGTH,
  MAX_RESULTS,
  PAGE_SIZE,
  parseSearch,
  searchDisclosureLog,
  searchEngine,
  searchUrl,
  snippetHtml,
} from "./search.ts";
export {
  addRedactionRule,
  addRequestRedaction,
  automaticPublisher,
  dueForPublication,
  isDueForPublication,
  type PublishDueReport,
  publicationPage,
  publicationSettings,
  publicationStatus,
  publicPath,
  publishDue,
  publishReply,
  removeRedactionRule,
  removeRequestRedaction,
  setPublishAfterDays,
  withdrawReply,
} from "./service.ts";
export { type SimilarReply, similarityQuery, similarPublishedReplies } from "./similar.ts";
