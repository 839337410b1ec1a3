import type { FastifyRequest } from "fastify";
import { londonDate } from "../../../calendar/index.ts";
import {
  citeExemptions,
  costActivities,
  costActivityLabels,
  type Exemption,
  environmentalProvisions,
  exemption,
  exemptionsFor,
  type InformationRegime,
  isEnvironmental,
  isSubjectAccess,
  proceduralRefusal,
  proceduralRefusals,
  refusalGrounds,
  regimeOfId,
  regimeRule,
  reviewOutcomeLabels,
  reviewOutcomes,
} from "../../../law/index.ts";
import {
  findingsInWords,
  type LetterKind,
  newReplyInput,
  type Outcome,
  outcomeLabels,
  outcomeNeedsApproval,
  type ParagraphEntry,
  paragraphLibrary,
  releaseBlock,
  replyDelivery,
  replyFor,
  requestDetail,
  type StoredReply,
  storedChecks,
} from "../../../requests/index.ts";
import {
  type AdvicePurpose,
  decisionLabels,
  parseReply,
  type ReplyInput,
  renderReplyHtml,
} from "../../../responses/index.ts";
import { actorFor, currentUser } from "../../auth.ts";
import {
  advicePurposes,
  decisionChoices,
  type FormValues,
  itemCount,
  replyFieldId,
  replyFormValues,
} from "./replies-form.ts";
import { todayParts } from "./requests-forms.ts";
import { regimeLabels, regimeLongLabels, stateTag, timelineItems } from "./requests-present.ts";

// What the reply pages show: the editor (every field of the draft, the catalogue's exemptions for the
// request's regime, the library's paragraphs that fit each field, the validation panel) and the preview
// (the reply as the requester will read it, and the workflow: submit, approve, return, send).

/** The editor of a request's reply, or of its internal review letter. */
export const replyPath = (id: number, letter: LetterKind = "reply") =>
  `/staff/requests/${id}/${letter === "review" ? "review-letter" : "reply"}`;

/** Which letter a page is about, from its route: the reply's pages and the review letter's are the same. */
export function letterOf(request: FastifyRequest): LetterKind {
  return request.routeOptions.url?.includes("/review-letter") ? "review" : "reply";
}

const advicePurposeLabels: Record<AdvicePurpose, string> = {
  "published-information": "Where the information is already published",
  narrowing: "How to narrow the request",
  "subject-access": "Own personal data: subject access",
  other: "Other advice",
};

interface Item {
  value: string;
  text: string;
  checked?: boolean;
  selected?: boolean;
  hint?: { text: string };
}

const one = (values: FormValues, name: string): string => {
  const value = values[name];
  return (Array.isArray(value) ? value[0] : value) ?? "";
};
const many = (values: FormValues, name: string): string[] => {
  const value = values[name];
  return Array.isArray(value) ? value : value ? [value] : [];
};
const filled = (values: FormValues, ...names: string[]) => names.some((name) => one(values, name) !== "");

function radios(choices: readonly (readonly [string, string])[], chosen: string): Item[] {
  return choices.map(([value, text]) => ({ value, text, checked: value === chosen }));
}

function options(choices: readonly (readonly [string, string])[], chosen: string, blankText: string): Item[] {
  return [
    { value: "", text: blankText, selected: chosen === "" },
    ...choices.map(([value, text]) => ({ value, text, selected: value === chosen })),
  ];
}

function libraryItems(paragraphs: readonly ParagraphEntry[]): Item[] {
  if (paragraphs.length === 0) return [];
  return [
    { value: "", text: "Choose a paragraph" },
    ...paragraphs.map((paragraph) => ({ value: String(paragraph.id), text: paragraph.title })),
  ];
}

/**
 * What the chosen exemptions ask the officer for, a sentence each, as a person would write it: the entries
 * that ask the same are cited together as a reply cites them ("Section 31(1)(a)(b) Law enforcement").
 */
function exemptionNotes(entries: readonly Exemption[]): string[] {
  const byNeeds = new Map<string, string[]>();
  for (const entry of entries) {
    const needs = exemptionNeeds(entry);
    byNeeds.set(needs, [...(byNeeds.get(needs) ?? []), entry.id]);
  }
  return [...byNeeds].map(([needs, ids]) => {
    const cited = citeExemptions(ids);
    return `${listInWords(cited)} ${cited.length > 1 ? "are" : "is"} ${needs}`;
  });
}

/** "a", "a and b", "a, b and c". */
function listInWords(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

function exemptionNeeds(entry: Exemption): string {
  const kinds = [
    entry.status === "absolute" ? "absolute" : "qualified",
    entry.basis === "class"
      ? "class-based"
      : entry.basis === "prejudice"
        ? "prejudice-based"
        : "subject to a necessity test",
  ];
  const needs = [
    ...(entry.basis !== "class" && entry.harm ? ["a harm test"] : ["the reasons it applies"]),
    ...(entry.publicInterestTest ? ["the public-interest test"] : []),
    ...(entry.needsQualifiedPersonOpinion ? ["the qualified person's opinion"] : []),
  ];
  return `${listInWords(kinds)}: the reply needs ${listInWords(needs)}.`;
}

type Detail = Awaited<ReturnType<typeof requestDetail>>;

function requestSummary(detail: Detail) {
  const row = detail.request;
  return {
    id: row.id,
    reference: row.reference,
    regime: row.regime,
    regimeLabel: regimeLabels[row.regime] ?? row.regime,
    state: row.state,
    stateTag: stateTag(row.state),
    version: row.version,
    requesterName: row.requester_name,
    requesterEmail: row.requester_email,
    requesterAddress: row.requester_address,
    receivedDate: row.received_date,
    dueDate: detail.deadline?.dueDate ?? null,
    questions: row.questions,
  };
}

/** The reply's (or review letter's) state for the side panels of both pages. */
function replyStatus(detail: Detail, stored: StoredReply | null, letter: LetterKind) {
  const row = detail.request;
  const outcome = stored?.outcome ?? null;
  const allowed = new Set(detail.actions.map((action) => action.type));
  const review = letter === "review";
  const reviewOutcome = stored?.reply?.review?.outcome ?? null;
  const lastSubmit = detail.timeline.findLast((entry) => entry.type === "submit-for-approval");
  const lastReturn = detail.timeline.findLast((entry) => entry.type === "return-for-changes");
  const lastApproval = detail.timeline.findLast((entry) => entry.type === "approve");
  const returned =
    lastReturn && (!lastSubmit || lastReturn.seq > lastSubmit.seq) && allowed.has("draft-reply")
      ? { by: lastReturn.actor, note: String(lastReturn.details.note ?? ""), at: lastReturn.occurredAt }
      : null;
  return {
    exists: stored !== null,
    sent: Boolean(stored?.sentAt),
    sentAt: stored?.sentAt ?? null,
    outcome,
    outcomeLabel: outcome ? outcomeLabels[outcome as Outcome] : null,
    needsApproval: outcome && !review ? outcomeNeedsApproval(outcome as Outcome, row.regime) : false,
    problemCount: stored?.problems.length ?? 0,
    updatedAt: stored?.updatedAt ?? null,
    updatedBy: stored?.updatedBy ?? null,
    letter,
    reviewOutcomeLabel: reviewOutcome ? reviewOutcomeLabels[reviewOutcome] : null,
    editable: allowed.has(review ? "draft-review-letter" : "draft-reply"),
    canSubmit: !review && allowed.has("submit-for-approval"),
    canApprove: !review && allowed.has("approve"),
    canReturn: !review && allowed.has("return-for-changes"),
    canSend: allowed.has(review ? "send-review-letter" : "send-reply"),
    canRecordPosted: allowed.has(review ? "record-review-posted" : "record-posted"),
    submittedBy: row.state === "awaiting-approval" ? (lastSubmit?.actor ?? null) : null,
    /** Who signed the reply off, and when: while it waits to be sent, and once it has gone. */
    approved:
      lastApproval &&
      (row.state === "approved" || stored?.sentAt) &&
      (!lastSubmit || lastApproval.seq > lastSubmit.seq)
        ? { by: lastApproval.actor, at: lastApproval.occurredAt }
        : null,
    /** What the complete reply is ready for next, as the validation panel says it. */
    readyFor:
      row.state === "awaiting-approval"
        ? "approved"
        : row.state === "approved" || !(outcome && outcomeNeedsApproval(outcome as Outcome, row.regime))
          ? "sent"
          : "submitted for approval",
    returned,
    regimeChanged: regimeChange(detail, stored),
  };
}

/**
 * The latest change of the law the request is handled under, for an unsent draft: the draft stays, and is
 * checked against the new law's catalogue (the reply pages say so).
 */
function regimeChange(detail: Detail, stored: StoredReply | null) {
  const change = detail.timeline.findLast((entry) => entry.type === "change-regime");
  if (!change || !stored || stored.sentAt) return null;
  const name = (labels: Record<string, string>, code: unknown) => labels[String(code)] ?? String(code);
  return {
    from: name(regimeLongLabels, change.details.previousRegime),
    to: name(regimeLongLabels, change.details.regime),
    toShort: name(regimeLabels, change.details.regime),
    environmental: regimeRule(String(change.details.regime))?.kind === "eir",
    by: change.actor,
    at: change.occurredAt,
    reason: String(change.details.reason ?? ""),
  };
}

/** The validation panel's list: each problem linking to its field on the editor. */
function problemList(stored: StoredReply | null, editorHref: string) {
  return (stored?.problems ?? []).map((problem) => ({
    text: problem.message,
    href: `${editorHref}#${replyFieldId(problem.field)}`,
  }));
}

/** Each problem's message by the id of its field, the first for each field. */
function problemMessages(stored: StoredReply | null): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const problem of stored?.problems ?? []) errors[replyFieldId(problem.field)] ??= problem.message;
  return errors;
}

/** The history of the reply: drafting (runs of saves shown once), submission, approval, return, sending. */
const replyEventTypes = new Set([
  "draft-reply",
  "submit-for-approval",
  "approve",
  "return-for-changes",
  "send-reply",
  "record-posted",
  "record-outcome",
  "reply-email-failed",
  "reply-email-resent",
]);
const reviewLetterEventTypes = new Set([
  "draft-review-letter",
  "send-review-letter",
  "record-review-posted",
  "decide-review",
  "review-letter-email-failed",
  "review-letter-email-resent",
]);

function replyHistory(detail: Detail, letter: LetterKind) {
  const types = letter === "review" ? reviewLetterEventTypes : replyEventTypes;
  const entries = detail.timeline.filter((entry) => types.has(entry.type));
  const kept = entries.filter(
    (entry, i) => !(entry.type.startsWith("draft-") && entries[i + 1]?.type === entry.type),
  );
  return timelineItems(kept);
}

/** Everything the editor shows; `values` are what the form holds (the stored draft, or what was posted). */
export async function editorContext(request: FastifyRequest): Promise<Record<string, unknown>> {
  const { id } = request.params as { id: number };
  const query = (request.query ?? {}) as { add?: string };
  const db = request.server.db;
  const now = request.server.now();
  const user = currentUser(request);
  const letter = letterOf(request);
  const detail = await requestDetail(db, { id }, actorFor(user), now);
  const stored = await replyFor(db, id, letter);
  const regime = detail.request.regime as InformationRegime;
  const draft: ReplyInput = stored?.content ?? (await newReplyInput(db, id, actorFor(user), now, letter));
  const posted = request.method === "POST" && typeof request.body === "object" && request.body !== null;
  const values: FormValues = posted ? (request.body as FormValues) : replyFormValues(draft);
  if (!posted) addBlankItem(values, query.add);
  const library = await paragraphLibrary(db, now);
  const href = replyPath(id, letter);
  return {
    foiRequest: requestSummary(detail),
    letterKind: letter,
    reviewOutcomeItems: reviewOutcomes.map((value) => ({
      value,
      text: reviewOutcomeLabels[value],
      checked: values["review.outcome"] === value,
    })),
    status: replyStatus(detail, stored, letter),
    editorValues: values,
    isNew: stored === null,
    editor: editorModel(values, regime, library, detail),
    problems: posted ? [] : problemList(stored, ""),
    // The validation panel's problems beside their fields too (a refused save brings its own).
    ...(posted ? {} : { errors: problemMessages(stored) }),
    paths: replyPaths(id, letter),
    history: replyHistory(detail, letter),
    editorHref: href,
  };
}

function addBlankItem(values: FormValues, add: string | undefined): void {
  switch (add) {
    case "question":
      values[`questions.${itemCount(values, "questions")}.text`] = "";
      break;
    case "exemption":
      values[`exemptions.${itemCount(values, "exemptions")}.exemptionIds`] = [];
      break;
    case "text":
    case "table":
    case "attachment":
      values[`disclosure.${itemCount(values, "disclosure")}.kind`] = add;
      break;
    case "advice":
      values[`advice.${itemCount(values, "advice")}.purpose`] = "other";
      break;
  }
}

export function replyPaths(id: number, letter: LetterKind = "reply") {
  const base = replyPath(id, letter);
  return {
    request: `/staff/requests/${id}`,
    editor: base,
    preview: `${base}/preview`,
    pdf: `${base}/letter.pdf`,
    docx: `${base}/letter.docx`,
    submit: `${base}/submit`,
    approve: `${base}/approve`,
    return: `${base}/return`,
    send: `${base}/send`,
    resend: `${base}/resend-email`,
    recordPosted: `${base}/record-posted`,
    library: "/staff/paragraphs",
  };
}

function editorModel(
  values: FormValues,
  regime: InformationRegime,
  wholeLibrary: readonly ParagraphEntry[],
  detail: Detail,
) {
  // Only this request's law: a FOIA reply is never offered FOISA's wording (paragraphs tied to no
  // provision suit any law).
  const library = wholeLibrary.filter(
    (paragraph) => paragraph.exemptionId === null || regimeOfId(paragraph.exemptionId) === regime,
  );
  const questionCount = itemCount(values, "questions");
  const questionItems = (name: string): Item[] => {
    const chosen = many(values, name);
    return Array.from({ length: Math.max(questionCount, 1) }, (_, i) => ({
      value: String(i + 1),
      text: `Question ${i + 1}`,
      checked: chosen.includes(String(i + 1)),
    }));
  };
  const fitting = (kind: string, ids: readonly (string | null)[]) =>
    libraryItems(
      library.filter((paragraph) => paragraph.kind === kind && ids.includes(paragraph.exemptionId)),
    );
  const catalogue = exemptionsFor(regime).map((entry) => [entry.id, entry.choice] as const);

  const questions = Array.from({ length: questionCount }, (_, i) => {
    const name = `questions.${i}`;
    return {
      index: i,
      number: i + 1,
      name,
      decisions: radios(
        decisionChoices.map((decision) => [decision, decisionLabels[decision]] as const),
        one(values, `${name}.decision`),
      ),
      flags: [
        ...(isEnvironmental(regime)
          ? [
              {
                value: "concernsEmissions",
                text: `It is information on emissions (${environmentalProvisions[regime].emissions})`,
                checked: many(values, `${name}.flags`).includes("concernsEmissions"),
              },
            ]
          : []),
        {
          value: "requestersOwnData",
          text: "It asks for the requester's own personal data",
          checked: many(values, `${name}.flags`).includes("requestersOwnData"),
        },
      ],
      showNotHeld:
        one(values, `${name}.decision`) === "not-held" || filled(values, `${name}.notHeldExplanation`),
    };
  });

  const exemptions = Array.from({ length: itemCount(values, "exemptions") }, (_, i) => {
    const name = `exemptions.${i}`;
    const ids = many(values, `${name}.exemptionIds`);
    const entries = ids.map((id) => exemption(id)).filter((entry): entry is Exemption => entry !== undefined);
    const none = entries.length === 0;
    const has = (...fields: string[]) => filled(values, ...fields.map((field) => `${name}.${field}`));
    const selects = Array.from({ length: Math.max(3, ids.length + 1) }, (_, j) => ({
      id: j === 0 ? `${name}.exemptionIds` : `${name}.exemptionIds-${j + 1}`,
      items: options(catalogue, ids[j] ?? "", j === 0 ? "Choose an exemption" : "None"),
    }));
    return {
      index: i,
      number: i + 1,
      name,
      selects,
      notes: exemptionNotes(entries),
      questionItems: questionItems(`${name}.questionNumbers`),
      showAlternative:
        entries.some((entry) => (entry.alternativeWith ?? []).length > 0) || has("alternative"),
      alternativeChecked: one(values, `${name}.alternative`) === "yes",
      showReasons: none || entries.some((entry) => entry.basis === "class" || !entry.harm) || has("reasons"),
      showHarm:
        none ||
        entries.some((entry) => entry.basis !== "class" && entry.harm) ||
        has("harm.interest", "harm.likelihood", "harm.reasoning"),
      harmInterestHint: entries.find((entry) => entry.harm)?.harm?.interest,
      likelihoods: radios(
        [
          ["would", "Would"],
          ["would-be-likely-to", "Would be likely to"],
        ],
        one(values, `${name}.harm.likelihood`),
      ),
      showPublicInterest:
        none ||
        entries.some((entry) => entry.publicInterestTest) ||
        (regime === "foisa" && entries.some((entry) => entry.ncnd)) ||
        has(
          "publicInterest.favouringDisclosure",
          "publicInterest.favouringWithholding",
          "publicInterest.balance",
        ),
      showOpinion:
        entries.some((entry) => entry.needsQualifiedPersonOpinion) ||
        has("qualifiedPersonOpinion.name", "qualifiedPersonOpinion.role"),
      opinionLikelihoods: radios(
        [
          ["would", "Would"],
          ["would-be-likely-to", "Would be likely to"],
        ],
        one(values, `${name}.qualifiedPersonOpinion.likelihood`),
      ),
      library: {
        harm: fitting("harm", ids),
        for: fitting("public-interest-for", ids),
        against: fitting("public-interest-against", ids),
        reasons: fitting("other", ids),
      },
    };
  });

  const ground = one(values, "refusal.ground");
  const lineCount = itemCount(values, "refusal.estimate.lines") + 1;
  const refusal = {
    open: ground !== "",
    ground,
    grounds: radios(
      [
        ["", "No: the questions are answered one by one"],
        ...refusalGrounds.map((code) => [code, proceduralRefusal(regime, code).printed] as const),
      ],
      ground,
    ),
    lines: Array.from({ length: lineCount }, (_, k) => {
      const name = `refusal.estimate.lines.${k}`;
      return {
        name,
        number: k + 1,
        activities: options(
          costActivities.map((activity) => [activity, costActivityLabels[activity]] as const),
          one(values, `${name}.activity`),
          "Choose the activity",
        ),
      };
    }),
    showPublicInterest: isEnvironmental(regime) || filled(values, "refusal.publicInterest.balance"),
    library: fitting("other", [
      null,
      ...(isEnvironmental(regime) ? [environmentalProvisions[regime].manifestlyUnreasonable] : []),
      ...proceduralRefusals.filter((entry) => entry.regime === regime).map((entry) => entry.id),
    ]),
  };

  const documents = detail.documents.map((document) => [document.filename, document.filename] as const);
  const disclosure = Array.from({ length: itemCount(values, "disclosure") }, (_, i) => {
    const name = `disclosure.${i}`;
    const kind = one(values, `${name}.kind`) || "text";
    const fileName = one(values, `${name}.fileName`);
    const known = documents.some(([value]) => value === fileName);
    return {
      index: i,
      name,
      kind,
      title: { text: "Text", table: "Table", attachment: "File" }[kind] ?? "Text",
      questionItems: questionItems(`${name}.questionNumbers`),
      documents: options(
        known || !fileName
          ? documents
          : [...documents, [fileName, `${fileName} (not on the request)`] as const],
        fileName,
        "Choose a document",
      ),
    };
  });

  const advice = Array.from({ length: itemCount(values, "advice") }, (_, i) => {
    const name = `advice.${i}`;
    return {
      index: i,
      number: i + 1,
      name,
      purposes: options(
        advicePurposes.map((purpose) => [purpose, advicePurposeLabels[purpose]] as const),
        one(values, `${name}.purpose`) || "other",
        "Choose what the advice is for",
      ).slice(1),
    };
  });

  const ownData = questions.some((question) =>
    question.flags.some((flag) => flag.value === "requestersOwnData" && flag.checked),
  );
  return {
    regime,
    /** The EIR and the EISR refuse under exceptions, FOIA and FOISA under exemptions. */
    environmental: isEnvironmental(regime),
    questions,
    exemptions,
    refusal,
    disclosure,
    advice,
    showSubjectAccess: ownData || filled(values, "subjectAccessReference"),
    library: {
      reasons: fitting("other", [null]),
      advice: libraryItems(library.filter((paragraph) => paragraph.kind === "advice")),
    },
    documentCount: documents.length,
  };
}

/** The preview: the reply as the requester will read it, the validation panel and the workflow's forms. */
export async function previewContext(request: FastifyRequest): Promise<Record<string, unknown>> {
  const { id } = request.params as { id: number };
  const db = request.server.db;
  const now = request.server.now();
  const user = currentUser(request);
  const letter = letterOf(request);
  const detail = await requestDetail(db, { id }, actorFor(user), now);
  const stored = await replyFor(db, id, letter);
  const paths = replyPaths(id, letter);
  let html: string | null = null;
  if (stored?.reply) {
    const row = detail.request;
    const reply = parseReply({
      ...stored.content,
      reference: row.reference,
      receivedDate: row.received_date,
      date: stored.sentAt ? stored.reply.date : londonDate(now),
    });
    html = renderReplyHtml(reply, { headingLevel: 2 });
  }
  const status = replyStatus(detail, stored, letter);
  // Release safety: the files the reply discloses, each with what it hides, as the send step will judge them.
  const named = ((stored?.content?.disclosure ?? []) as { kind?: string; fileName?: string }[])
    .filter((block) => block.kind === "attachment" && block.fileName)
    .map((block) => detail.documents.findLast((document) => document.filename === block.fileName))
    .filter((document) => document !== undefined);
  const checks = await storedChecks(
    db,
    named.map((document) => document.id),
  );
  const fileChecks = named.map((document) => {
    const check = checks.get(document.id);
    return {
      fileName: document.filename,
      blocked: releaseBlock(check),
      findings: check ? findingsInWords(check) : [],
      releasedBy: check?.releasedBy ?? null,
    };
  });
  return {
    fileChecks,
    foiRequest: requestSummary(detail),
    status: { ...status, isSubmitter: status.submittedBy === user.name },
    problems: problemList(stored, paths.editor),
    replyHtml: html,
    paths,
    letterKind: letter,
    history: replyHistory(detail, letter),
    delivery: await replyDelivery(db, id, letter),
    // A refusal's error summary links to the fields on the editor, not to this page; but the date posted is
    // this page's own field, linked at its first input (the day), as GOV.UK's date input asks.
    linkErrors: (list: { text: string; href?: string }[]) =>
      list.map((item) =>
        item.href === "#date"
          ? { ...item, href: "#date-day" }
          : item.href?.startsWith("#")
            ? { ...item, href: `${paths.editor}#${replyFieldId(item.href.slice(1))}` }
            : item,
      ),
    values: {
      version: String(detail.request.version),
      // The date posted starts on today (a letter is usually recorded the day it goes).
      ...Object.fromEntries(Object.entries(todayParts(now)).map(([part, value]) => [`date-${part}`, value])),
    },
  };
}

/** The request page's panel (views/staff/replies/request-panel.njk): where the reply stands, and a link. */
export async function replyPanel(
  db: FastifyRequest["server"]["db"],
  requestId: number,
  regime: string,
  now: Date,
) {
  const stored = isSubjectAccess(regime) ? null : await replyFor(db, requestId);
  return {
    ...(await postalPanel(db, requestId, stored, "reply", now)),
    href: replyPath(requestId),
    available: !isSubjectAccess(regime),
    exists: stored !== null,
    sent: Boolean(stored?.sentAt),
    sentAt: stored?.sentAt ?? null,
    outcomeLabel: stored ? outcomeLabels[stored.outcome] : null,
    problemCount: stored?.problems.length ?? 0,
    updatedAt: stored?.updatedAt ?? null,
    updatedBy: stored?.updatedBy ?? null,
  };
}

/**
 * The request page's panel for the internal review's letter, once a review has been asked for (FOIA-type
 * laws): where it stands and a link, or null.
 */
export async function reviewLetterPanel(
  db: FastifyRequest["server"]["db"],
  requestId: number,
  regime: string,
  reviewAsked: boolean,
  now: Date,
) {
  if (regime === "sar" || !reviewAsked) return null;
  const stored = await replyFor(db, requestId, "review");
  const outcome = stored?.reply?.review?.outcome;
  return {
    ...(await postalPanel(db, requestId, stored, "review", now)),
    href: replyPath(requestId, "review"),
    exists: stored !== null,
    sent: Boolean(stored?.sentAt),
    sentAt: stored?.sentAt ?? null,
    outcomeLabel: outcome ? reviewOutcomeLabels[outcome] : null,
    problemCount: stored?.problems.length ?? 0,
    updatedAt: stored?.updatedAt ?? null,
    updatedBy: stored?.updatedBy ?? null,
  };
}

/** A sent letter still to be posted, for the request page: where it goes, its PDF and the form's target. */
async function postalPanel(
  db: FastifyRequest["server"]["db"],
  requestId: number,
  stored: StoredReply | null,
  letter: LetterKind,
  now: Date,
) {
  const delivery = stored?.sentAt ? await replyDelivery(db, requestId, letter) : null;
  if (!delivery?.postal.awaitingPost) return { awaitingPost: false };
  const paths = replyPaths(requestId, letter);
  return {
    awaitingPost: true,
    generatedOn: delivery.postal.generatedOn,
    postTo: delivery.to,
    pdf: paths.pdf,
    recordPosted: paths.recordPosted,
    today: todayParts(now),
  };
}
