import type { FastifyRequest } from "fastify";
import {
  type ActionType,
  acknowledgementEmailState,
  appellants,
  DUE_SOON_WORKING_DAYS,
  decisionNoticeResults,
  documentTypes,
  isOpen,
  MAX_DOCUMENT_BYTES,
  outcomeLabels,
  outcomes,
  requestDetail,
  reviewOutcomes,
  transitions,
  tribunalResults,
} from "../../../requests/index.ts";
import { sizeText } from "../../../responses/index.ts";
import { can, listUsers, type StaffUser } from "../../../users/index.ts";
import { actorFor, currentUser } from "../../auth.ts";
import { documentCheckPanel } from "./document-check-panel.ts";
import { correspondencePanel } from "./inbox.ts";
import { actionPath, requestPath } from "./paths.ts";
import { publicationPanel } from "./publication.ts";
import { replyPanel, reviewLetterPanel } from "./replies-pages.ts";
import { todayParts } from "./requests-forms.ts";
import {
  channelLabels,
  decisionNoticeResultLabels,
  extensionForRegime,
  extensionLabels,
  oneClickActions,
  regimeLabels,
  regimeLongLabels,
  requesterTypeLabels,
  reviewOutcomeLabels,
  stateTag,
  timelineItems,
} from "./requests-present.ts";

// What the request page and the action form pages show. Both are also the `form` of the routes that post to
// them, so a refused action comes back to the same page with the error summary and the values typed.

type RequestDetail = Awaited<ReturnType<typeof requestDetail>>;

/** Active staff, by name: the people a request can be assigned to. */
export async function assignableStaff(request: FastifyRequest): Promise<StaffUser[]> {
  return (await listUsers(request.server.db)).filter((person) => person.active);
}

export const uploadHint = `${[...documentTypes.keys()]
  .map((extension) => extension.toUpperCase())
  .join(", ")}; up to ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`;

/** What pressing "Acknowledge" will do (acknowledge.ts): email the requester, or make a letter to post. */
function acknowledgeHint(request: RequestDetail["request"]): string {
  if (request.requester_email) return `Emails the acknowledgement to ${request.requester_email}.`;
  if (request.requester_address)
    return "Makes the acknowledgement letter (PDF and Word) to print and post to the requester's address.";
  return "The requester gave no email or postal address to send it to.";
}

/**
 * How the request was last acknowledged, for the page's confirmation: a letter to post, or an email, sent or
 * still waiting in the outbox (the mail server refused it).
 */
async function lastAcknowledgement(db: FastifyRequest["server"]["db"], detail: RequestDetail) {
  const event = detail.timeline.findLast((entry) => entry.type === "acknowledge");
  if (!event) return null;
  const letter = detail.documents.findLast((document) => document.filename === event.details.letter);
  const byPost = event.details.sentBy === "post";
  return {
    byPost,
    email: byPost ? null : await acknowledgementEmailState(db, detail.request.id),
    to: String(event.details.sentTo ?? ""),
    letterHref: letter ? `${requestPath(detail.request.id)}/documents/${letter.id}` : null,
  };
}

function actionsFor(detail: RequestDetail, user: StaffUser) {
  const id = detail.request.id;
  return detail.actions.map((action) => {
    // Someone who may assign only themselves gets one button: "Assign to me".
    const selfAssign = action.type === "assign" && !can(user, "assign-others").allowed;
    return {
      type: action.type,
      label: selfAssign ? "Assign to me" : action.label,
      href: actionPath(id, action.type),
      oneClick: selfAssign || oneClickActions.includes(action.type),
      fields: selfAssign ? { assigneeId: String(user.id) } : {},
      hint: action.type === "acknowledge" ? acknowledgeHint(detail.request) : null,
    };
  });
}

/** What the due-date row of the request page is called, by what the deadline is for. */
const deadlineLabels: Record<string, string> = {
  reply: "Due date",
  review: "Internal review due",
  compliance: "Decision notice steps due",
  appeal: "Appeal window closes",
};

function deadlineView(detail: RequestDetail) {
  const { deadline, standing, request } = detail;
  if (!standing) return null;
  // At the regulator stage the deadline is the decision notice's: it counts while the stage is open.
  const open = isOpen(request.state);
  // Days left come from law's timeLeft, the same answer as the work queue's.
  const daysLeft = standing.daysLeft ?? deadline?.daysLeft ?? 0;
  const unitWord = (days: number) =>
    `${days} ${standing.unit === "calendar" ? "day" : "working day"}${days === 1 ? "" : "s"}`;
  return {
    dueDate: standing.dueDate,
    daysLeft,
    unit: standing.unit,
    stopped: standing.stopped,
    open,
    review: standing.kind === "review",
    label: deadlineLabels[standing.kind] ?? "Due date",
    closed: standing.closed,
    refusalNoticeDue: deadline?.refusalNoticeDue ?? null,
    /** The due-date tag says more than the date alone: overdue, due soon, or the clock stopped. */
    urgent: standing.stopped || daysLeft <= DUE_SOON_WORKING_DAYS,
    leftText: !open
      ? null
      : standing.stopped
        ? "The clock is stopped until the requester replies"
        : standing.closed
          ? "The appeal window has closed"
          : daysLeft >= 0
            ? `${unitWord(daysLeft)} left`
            : `${unitWord(-daysLeft)} overdue`,
  };
}

/** Everything the request page shows, for the signed-in user. */
export async function requestPageContext(request: FastifyRequest): Promise<Record<string, unknown>> {
  const { id } = request.params as { id: number };
  const user = currentUser(request);
  const detail = await requestDetail(request.server.db, { id }, actorFor(user), request.server.now());
  const row = detail.request;
  return {
    foiRequest: {
      ...row,
      regimeLabel: regimeLabels[row.regime] ?? row.regime,
      regimeLongLabel: regimeLongLabels[row.regime] ?? row.regime,
      channelLabel: channelLabels[row.channel] ?? row.channel,
      stateTag: stateTag(row.state),
      outcomeLabel: row.outcome
        ? (outcomeLabels[row.outcome as keyof typeof outcomeLabels] ?? row.outcome)
        : null,
      reviewOutcomeLabel: row.review_outcome
        ? (reviewOutcomeLabels[row.review_outcome as keyof typeof reviewOutcomeLabels] ?? row.review_outcome)
        : null,
      requesterTypeLabel:
        requesterTypeLabels[row.requester_type as keyof typeof requesterTypeLabels] ?? row.requester_type,
    },
    deadline: deadlineView(detail),
    overdue: detail.overdue,
    warnings: detail.warnings,
    timeline: timelineItems(detail.timeline),
    documents: detail.documents.map((document) => ({
      filename: document.filename,
      href: `${requestPath(row.id)}/documents/${document.id}`,
      // True redaction (areas, phrases, patterns) is for PDFs; other files get a clean copy.
      redactHref:
        document.media_type === "application/pdf"
          ? `${requestPath(row.id)}/documents/${document.id}/redact`
          : null,
      size: sizeText(document.size_bytes),
      uploadedBy: document.uploaded_by,
      uploadedAt: document.uploaded_at,
    })),
    hiddenData: await documentCheckPanel(request.server.db, row.id, detail.documents, actorFor(user)),
    actions: actionsFor(detail, user),
    // Only the page shown just after acknowledging says how the acknowledgement went (and reads the outbox).
    acknowledgement:
      (request.query as { done?: unknown } | undefined)?.done === "acknowledge"
        ? await lastAcknowledgement(request.server.db, detail)
        : null,
    publication: await publicationPanel(request.server.db, row.id),
    correspondence: await correspondencePanel(
      request.server.db,
      row,
      detail.timeline.findLast((event) => event.type === "request-clarification")?.occurredAt ?? null,
    ),
    replyPanel: await replyPanel(request.server.db, row.id, row.regime, request.server.now()),
    reviewLetterPanel: await reviewLetterPanel(
      request.server.db,
      row.id,
      row.regime,
      row.review_received_date !== null,
      request.server.now(),
    ),
    otherRegimes: detail.otherRegimes,
    uploadHint,
    acceptTypes: [...documentTypes.keys()].map((extension) => `.${extension}`).join(","),
  };
}

const radios = (codes: readonly string[], labels: Record<string, string>) =>
  codes.map((code) => ({ value: code, text: labels[code] ?? code }));

/** The action form page: the request in brief and the fields of one action, dated today by default. */
export async function actionPageContext(request: FastifyRequest): Promise<Record<string, unknown>> {
  const { type } = request.params as { id: number; type: ActionType };
  const page = await requestPageContext(request);
  const user = currentUser(request);
  const foiRequest = page.foiRequest as RequestDetail["request"];
  const allowed = (page.actions as { type: string }[]).some((action) => action.type === type);
  const transition = transitions.find((candidate) => candidate.action === type)!;
  const today = todayParts(request.server.now());
  const staff = type === "assign" ? await assignableStaff(request) : [];
  return {
    ...page,
    action: {
      type,
      label: transition.label,
      href: actionPath(foiRequest.id, type),
      allowed,
    },
    staffChoices: staff
      .filter((person) => can(user, "assign-request", { assigneeId: person.id }).allowed)
      .map((person) => ({
        value: String(person.id),
        text: `${person.name}${person.teamName ? ` (${person.teamName})` : ""}`,
      })),
    outcomeChoices: radios(outcomes, outcomeLabels),
    reviewOutcomeChoices: radios(reviewOutcomes, reviewOutcomeLabels),
    decisionNoticeChoices: radios(decisionNoticeResults, decisionNoticeResultLabels),
    appellantChoices: radios(appellants, { authority: "We did", requester: "The requester" }),
    tribunalResultChoices: radios(tribunalResults, {
      allowed: "Appeal allowed",
      "allowed-in-part": "Appeal allowed in part",
      dismissed: "Appeal dismissed",
      withdrawn: "Appeal withdrawn",
    }),
    extensionChoices: radios(Object.keys(extensionLabels), extensionLabels),
    regimeChoices: radios(page.otherRegimes as string[], regimeLongLabels),
    values: {
      version: String(foiRequest.version),
      "date-day": today.day,
      "date-month": today.month,
      "date-year": today.year,
      extension: extensionForRegime[foiRequest.regime] ?? "",
      assigneeId: foiRequest.assignee_id ? String(foiRequest.assignee_id) : "",
    },
  };
}
