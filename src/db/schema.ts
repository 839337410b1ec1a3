import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

// The one description of every table (STYLE.md: Kysely). Dates are ISO strings ('YYYY-MM-DD'): the
// connection returns the `date` type unparsed, so no time zone can shift a statutory date.
type IsoDate = string;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface AuthorityTable {
  id: Generated<number>;
  name: string;
  address: Generated<string>;
  email: Generated<string>;
  unit_code: Generated<string>;
  reference_pattern: Generated<string>;
  receipt_reading: Generated<"ico" | "code-2018">;
  cost_limit_pence: Generated<number>;
  imported_holidays: Json<unknown> | null;
  updated_at: Timestamp;
  jurisdiction: Generated<Jurisdiction>;
  phone: Generated<string>;
  /** Publish sent replies to the disclosure log this many days after sending; null: only by hand. */
  publish_after_days: number | null;
  /** The team a new request joins when none is chosen (web, API, email); null: no team. */
  intake_team_id: number | null;
  /** Who may see subject access requests (0028): this team's members and these roles. */
  sar_team_id: number | null;
  sar_roles: ColumnType<string[], string[] | undefined, string[]>;
}

/** Each view of a subject access request's documents (0028): who, when and what. */
export interface SarDocumentViewTable {
  id: Generated<number>;
  request_id: number;
  document_id: number | null;
  what: string;
  user_id: number | null;
  user_label: string;
  viewed_at: Date;
}

export type Jurisdiction = "england-and-wales" | "scotland" | "northern-ireland";

export interface TeamTable {
  id: Generated<number>;
  name: string;
}

export type Role = "officer" | "approver" | "manager" | "admin";

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  email: Generated<string>;
  role: Role;
  team_id: number | null;
  /** Null for an account that signs in only through single sign-on. */
  password_hash: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
  last_sign_in_at: Date | null;
  /** Set by an administrator: the next sign-in must choose a new password. */
  password_reset_required: Generated<boolean>;
  /** Base32 TOTP secret; with totp_enabled_at null it is an enrolment not yet confirmed. */
  totp_secret: string | null;
  totp_enabled_at: Date | null;
  /** The last time step whose code was accepted: a code is never accepted twice (RFC 6238 s.5.2). */
  totp_last_step: ColumnType<string | null, string | number | null, string | number | null>;
  sso_issuer: string | null;
  sso_subject: string | null;
}

export interface RecoveryCodeTable {
  id: Generated<number>;
  user_id: number;
  /** SHA-256 of the normalised code: each is 50 random bits, shown once. */
  code_hash: string;
  used_at: Date | null;
}

/** The history of a staff account: created, signed in, role changed, deactivated, second factor reset. */
export interface UserEventTable {
  id: Generated<string>;
  user_id: number;
  kind: string;
  actor_id: number | null;
  actor_label: string;
  detail: Generated<string>;
  at: Timestamp;
}

export type SessionStage = "second-factor" | "new-password" | "enrol" | "signed-in";

export interface SessionTable {
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  /** Written at most once a minute while the session is used: an idle session ends. */
  last_seen_at: Timestamp;
  /** A sign-in still in progress names its next step; only "signed-in" opens the back office. */
  stage: Generated<SessionStage>;
  method: Generated<"password" | "sso">;
  /** The identity provider's ID token, for signing out there too. */
  id_token: string | null;
}

/** Failed sign-ins per (account, address), per address and in all, with backoff (users/throttle.ts). */
export interface SignInThrottleTable {
  kind: "account-address" | "address" | "global";
  subject: string;
  window_started: Timestamp;
  failures: number;
  last_failure_at: Date | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface RequesterTable {
  id: Generated<number>;
  name: string;
  email: string | null;
  address: string | null;
  organisation: string | null;
  type: Generated<string>;
  created_at: Timestamp;
}

export interface ReferenceCounterTable {
  regime: string;
  year: number;
  last_seq: number;
}

/**
 * The states a request can be in. The requests module owns them (workflow.ts: their labels and the transitions
 * between them) and checks at compile time that its list and this one are the same.
 */
export type RequestStateName =
  | "received"
  | "acknowledged"
  | "awaiting-clarification"
  | "awaiting-fee"
  | "awaiting-identity"
  | "in-progress"
  | "extended"
  | "awaiting-approval"
  | "approved"
  | "responded"
  | "withdrawn"
  | "lapsed"
  | "invalid"
  | "review-requested"
  | "review-decided"
  | "regulator-complaint"
  | "decision-notice"
  | "tribunal-appeal"
  | "tribunal-decided"
  | "regulator-closed";

export interface RequestTable {
  id: Generated<number>;
  reference: string;
  regime: "foia" | "eir" | "foisa" | "eisr" | "sar";
  channel: "web" | "email" | "post" | "phone" | "in-person" | "api";
  received_date: IsoDate;
  body: string;
  questions: Json<string[]>;
  topic: string | null;
  state: RequestStateName;
  outcome: string | null;
  valid: Generated<boolean>;
  invalid_reason: string | null;
  clock: Json<unknown[]>;
  due_date: IsoDate | null;
  refusal_notice_due: IsoDate | null;
  /** What `due_date` is for (law's DeadlineKind); null before migration 0020 set it (a reply or review). */
  due_kind: Generated<"reply" | "review" | "compliance" | "appeal" | null>;
  clock_stopped: Generated<boolean>;
  review_received_date: IsoDate | null;
  review_outcome: string | null;
  requester_id: number;
  assignee_id: number | null;
  team_id: number | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: Generated<string>;
  /** SHA-256 (hex) of the private tracking link's token; the token itself is never stored. */
  tracking_token_hash: string | null;
  preferred_format: PreferredFormat | null;
  /** When the retention schedule's anonymisation ran on it (retention module); null: not anonymised. */
  anonymised_at: Date | null;
}

/** FOIA s.11(1): a copy in permanent form (electronic or paper), inspection, or a digest or summary. */
export type PreferredFormat = "electronic" | "paper" | "inspection" | "summary";

export interface RequestEventTable {
  id: Generated<number>;
  request_id: number;
  seq: number;
  type: string;
  payload: Json<Record<string, unknown>>;
  actor_id: number | null;
  actor_label: string;
  occurred_at: Timestamp;
  prev_hash: string;
  hash: string;
}

export interface DocumentTable {
  id: Generated<number>;
  request_id: number;
  filename: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  uploaded_by: string;
  uploaded_at: Timestamp;
  /** Sent to the requester as part of the reply (letter, attachments), as against case papers. */
  part_of_reply: Generated<boolean>;
}

/** What inspecting a document for hidden data found, and what was decided about releasing it (0018). */
export interface DocumentCheckTable {
  document_id: number;
  format: string | null;
  findings: Json<{ kind: string; where: string; detail: string }[]>;
  /** Why the file could not be inspected (unknown or encrypted format, damaged): it cannot go out as it is. */
  refused: string | null;
  inspected_at: Timestamp;
  /** The clean copy made of this file; the copy is what goes out. */
  clean_copy_id: number | null;
  /** Set on a clean copy: the document it was made from. */
  clean_copy_of: number | null;
  released_by: string | null;
  released_reason: string | null;
  released_at: Date | null;
}

export interface RequestDraftTable {
  id_hash: string;
  route: string | null;
  answers: Json<Record<string, string>>;
  created_at: Timestamp;
  updated_at: Timestamp;
  expires_at: Timestamp;
  submitting_since: Date | null;
  request_id: number | null;
  tracking_token: string | null;
}

export type Satisfaction = "very-satisfied" | "satisfied" | "neither" | "dissatisfied" | "very-dissatisfied";

export interface FeedbackTable {
  id: Generated<number>;
  satisfaction: Satisfaction | null;
  comments: string;
  page: string | null;
  created_at: Timestamp;
}

export interface SentMailTable {
  id: Generated<number>;
  message_id: string;
  to_address: string;
  subject: string;
  kind: string;
  request_id: number | null;
  transport: "outbox" | "smtp";
  file_name: string | null;
  sent_at: Timestamp;
}

/** A message waiting to be handed to the mail transport, or handed over (mail/outbox.ts). */
export interface MailOutboxTable {
  id: Generated<number>;
  message_id: string;
  request_id: number | null;
  kind: string;
  to_address: string;
  subject: string;
  /** The SMTP envelope: `{ from, to: [] }`. */
  envelope: Json<{ from: string; to: string[] }>;
  /** The RFC 5322 message; emptied once delivered (the transport keeps its own copy) or destroyed. */
  raw: Uint8Array | null;
  queued_at: Timestamp;
  attempts: Generated<number>;
  /** Set while one process hands the message over: a claim that runs out if that process died. */
  handed_over_at: Timestamp | null;
  next_attempt_at: Timestamp;
  last_error: string | null;
  given_up_at: Timestamp | null;
  delivered_at: Timestamp | null;
  sent_mail_id: number | null;
  destroyed_at: Timestamp | null;
}

/** A message received by email, once per Message-ID (mail/inbound.ts). */
export interface ReceivedMailTable {
  id: Generated<number>;
  message_id: string;
  from_name: Generated<string>;
  from_address: string | null;
  to_addresses: Generated<string>;
  subject: Generated<string>;
  text_body: Generated<string>;
  size_bytes: number;
  sha256: string;
  /** The message as received, in the file store; null when it was too large to keep. */
  storage_key: string | null;
  attachments: Generated<number>;
  status: ReceivedMailStatus;
  /** Why it was not processed, for staff. */
  reason: string | null;
  request_id: number | null;
  matched_by: "reference" | "reply-header" | "new-request" | "staff" | null;
  received_at: Timestamp;
  claimed_at: Timestamp;
  handled_at: Date | null;
  handled_by: string | null;
  /** When an officer marked the correspondence as read on the request page; null: new correspondence. */
  seen_at: Date | null;
  seen_by: string | null;
  /** Dismissed by staff as needing no action (spam, a newsletter): when, by whom and why. */
  dismissed_at: Date | null;
  dismissed_by: string | null;
  dismissed_reason: string | null;
  /** When the retention schedule destroyed its content (sender, subject, body, file); null: kept. */
  destroyed_at: Date | null;
}

export type ReceivedMailStatus = "processing" | "threaded" | "logged" | "not-processed" | "dismissed";

export interface ReplyTable {
  request_id: number;
  /** The responses module's ReplyInput, as drafted (validated when submitted, approved and sent). */
  content: Json<Record<string, unknown>>;
  updated_at: Timestamp;
  updated_by: string;
  sent_at: Date | null;
  letter_document_id: number | null;
  word_document_id: number | null;
}

export interface ReplyParagraphTable {
  id: Generated<number>;
  kind: string;
  exemption_id: string | null;
  title: string;
  body: string;
  updated_at: Timestamp;
  updated_by: Generated<string>;
}

export interface RedactionRuleTable {
  id: Generated<number>;
  kind: "phrase" | "pattern";
  pattern: string;
  reason: string;
  created_at: Timestamp;
  created_by: string;
}

export interface RequestRedactionTable {
  id: Generated<number>;
  request_id: number;
  phrase: string;
  reason: string;
  created_at: Timestamp;
  created_by: string;
}

/** Scheduled work one process at a time: who holds the job, and until when (db/lease.ts). */
export interface LeaseTable {
  name: string;
  holder: string;
  held_until: Timestamp;
}

/** One row: bumped by a trigger on every change to published_replies (searches kept per version). */
export interface DisclosureLogVersionTable {
  id: number;
  version: number;
}

/** Live replies per combination of facet values, kept by a trigger (the counts when browsing without words). */
export interface PublishedFacetCountTable {
  year: number;
  regime: string;
  outcome: string;
  topic: string | null;
  exemptions: string[];
  replies: number;
}

/** Each word of a live reply's rank vector and its rank for that word alone (0050): searched best first. */
export interface PublishedSearchTermTable {
  lexeme: string;
  score: number;
  reply_date: IsoDate;
  reply_id: number;
}

export interface PublishedReplyTable {
  id: Generated<number>;
  request_id: number | null;
  reference: string;
  regime: "foia" | "eir" | "foisa" | "eisr";
  received_date: IsoDate;
  reply_date: IsoDate;
  year: number;
  topic: string | null;
  outcome: string;
  /** Facet keys of the exemptions cited ("foia-31", "eir-12-5-b", "eisr-10-5-b"). */
  exemptions: string[];
  title: string;
  /** The published reply (responses' Reply, masked, without the requester or the signatory). */
  reply: Json<Record<string, unknown>>;
  body_text: string;
  /** to_tsvector('english', …): written by the publication repo, never read back as a value. */
  search: string;
  /** What the reply is about (summary, topic, questions), kept in line: what results are ranked by. */
  rank_vector: string;
  published_at: Timestamp;
  published_by: string;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  withdrawn_reason: string | null;
}

export interface PublishedAttachmentTable {
  id: Generated<number>;
  published_reply_id: number;
  position: number;
  file_name: string;
  media_type: string;
  size_bytes: number;
  content: Uint8Array | null;
  storage_key: string | null;
  masked_spans: Generated<number>;
}

export interface StatisticsDatasetTable {
  id: Generated<number>;
  name: string;
  title: string;
  description: Generated<string>;
  /** Dimensions (column and label), frequency and measure columns: the datasets module's DatasetColumns. */
  spec: Json<Record<string, unknown>>;
  /** The statistics module's Dataset (aggregated cells), as JSON. */
  dataset: Json<Record<string, unknown>>;
  records: number;
  source_file: string | null;
  imported_at: Timestamp;
  imported_by: string;
}

export interface StatisticsPolicyTable {
  id: Generated<number>;
  dataset_id: number;
  version: number;
  /** The statistics module's ReleasePolicy, as parsed. */
  policy: Json<Record<string, unknown>>;
  saved_at: Timestamp;
  saved_by: string;
}

export interface StatisticsReleaseTable {
  id: Generated<number>;
  dataset_id: number;
  policy_version: number;
  title: string;
  dimensions: Json<string[]>;
  kind: "suppressed" | "rounded";
  /** The statistics module's Release (withheld figures included: never public). */
  release: Json<Record<string, unknown>>;
  /** The statistics module's PublishedTable: what the public page shows. */
  published: Json<Record<string, unknown>>;
  primary_cells: number;
  secondary_cells: number;
  csv: Uint8Array;
  xlsx: Uint8Array;
  request_id: number | null;
  released_at: Timestamp;
  released_by: string;
}

/** A class of a model publication scheme, in the model's order: the ICO's (FOIA s.19-20) or the SIC's (FOISA s.23). */
export interface PublicationSchemeClassTable {
  id: Generated<number>;
  scheme: Generated<"ico" | "sic">;
  position: number;
  title: string;
  description: string;
}

/** One entry of the guide to information: what is published in a class, how, and any charge. */
export interface PublicationSchemeEntryTable {
  id: Generated<number>;
  class_id: number;
  title: string;
  description: Generated<string>;
  availability: "web" | "on-request" | "disclosure-log" | "statistics";
  /** A web address (http or https) or a path of the disclosure log; null on request or for a table. */
  url: string | null;
  /** The released statistics table, when the entry is one. */
  release_id: number | null;
  charge: Generated<string>;
  reviewed_on: IsoDate;
  reviewed_by: string;
}

/** A personal value held apart from the hash-chained events (requests/history.ts); null once destroyed. */
export interface PersonalValueTable {
  id: Generated<number>;
  request_id: number;
  salt: string | null;
  value: string | null;
  destroyed_at: Date | null;
  /** The event (seq, same request) that recorded the destruction. */
  destroyed_seq: number | null;
}

export type RetentionRecordType =
  | "foi-case"
  | "internal-review"
  | "regulator-case"
  | "sar"
  | "invalid-request"
  | "unprocessed-email";

/** Months after closure a record is kept before it is anonymised, set by a manager (retention module). */
export interface RetentionScheduleTable {
  record_type: RetentionRecordType;
  months: number;
  updated_at: Timestamp;
  updated_by: string;
}

/** A manager's hold on a request: nothing of it is destroyed until the hold is lifted. */
export interface LegalHoldTable {
  id: Generated<number>;
  request_id: number;
  reason: string;
  placed_at: Timestamp;
  placed_by: string;
  lifted_at: Date | null;
  lifted_by: string | null;
}

export interface Database {
  authority: AuthorityTable;
  teams: TeamTable;
  users: UserTable;
  sessions: SessionTable;
  sign_in_throttle: SignInThrottleTable;
  api_tokens: ApiTokenTable;
  recovery_codes: RecoveryCodeTable;
  user_events: UserEventTable;
  requesters: RequesterTable;
  reference_counters: ReferenceCounterTable;
  requests: RequestTable;
  sar_document_views: SarDocumentViewTable;
  request_events: RequestEventTable;
  documents: DocumentTable;
  document_checks: DocumentCheckTable;
  request_drafts: RequestDraftTable;
  feedback: FeedbackTable;
  sent_mail: SentMailTable;
  mail_outbox: MailOutboxTable;
  received_mail: ReceivedMailTable;
  replies: ReplyTable;
  /** The internal review's letter (0038): the same shape as a reply, with its review section. */
  review_letters: ReplyTable;
  reply_paragraphs: ReplyParagraphTable;
  redaction_rules: RedactionRuleTable;
  request_redactions: RequestRedactionTable;
  published_replies: PublishedReplyTable;
  published_attachments: PublishedAttachmentTable;
  disclosure_log_version: DisclosureLogVersionTable;
  leases: LeaseTable;
  published_facet_counts: PublishedFacetCountTable;
  published_search_terms: PublishedSearchTermTable;
  statistics_datasets: StatisticsDatasetTable;
  statistics_policies: StatisticsPolicyTable;
  statistics_releases: StatisticsReleaseTable;
  publication_scheme_classes: PublicationSchemeClassTable;
  publication_scheme_entries: PublicationSchemeEntryTable;
  personal_values: PersonalValueTable;
  retention_schedule: RetentionScheduleTable;
  legal_holds: LegalHoldTable;
}

export type RequestRow = Selectable<RequestTable>;
export type NewRequestRow = Insertable<RequestTable>;
export type RequestUpdate = Updateable<RequestTable>;
export type RequesterRow = Selectable<RequesterTable>;
export type UserRow = Selectable<UserTable>;
export type RequestEventRow = Selectable<RequestEventTable>;
export type DocumentRow = Selectable<DocumentTable>;
export type AuthorityRow = Selectable<AuthorityTable>;
export type SentMailRow = Selectable<SentMailTable>;
export type ReceivedMailRow = Selectable<ReceivedMailTable>;
export type FeedbackRow = Selectable<FeedbackTable>;
