import type { Kysely } from "kysely";
import { authorityIsSetUp, setUpAuthority, updateAuthoritySettings } from "../authority/index.ts";
import {
  addMonthsClamped,
  formatIsoDate,
  londonDate,
  tryParseIsoDate,
  workingCalendar,
} from "../calendar/index.ts";
import { seedDemoStatistics } from "../datasets/index.ts";
import type { Database } from "../db/index.ts";
import { isSubjectAccess } from "../law/index.ts";
import { recordOnlyMailer } from "../mail/index.ts";
import { publishDemoReplies } from "../publication/index.ts";
import { seedDemoPublicationScheme } from "../publication-scheme/index.ts";
import {
  type Actor,
  acknowledgeRequest,
  createRequest,
  draftDemoReplies,
  lapseUnpaidFees,
  newReplyInput,
  outcomeNeedsApproval,
  performAction,
  type RequestState,
  recordPosted,
  referenceOfRequestWithBody,
  replyLetterhead,
  type SentReply,
  saveReplyDraft,
  sendReply,
} from "../requests/index.ts";
import { type Letterhead, type ReplyInput, sampleReply } from "../responses/index.ts";
import { type FileStore, memoryFileStore } from "../storage/index.ts";
import {
  createUser,
  enrolKnownSecret,
  groupedSecret,
  type StaffUser,
  secondFactorRequired,
} from "../users/index.ts";
import { type DemoRequest, demoRequests, demoStaff } from "./content.ts";

// Demo data for a first run: a fictional police force, staff of every role, and a few dozen requests in
// every state, dated relative to today so that some are overdue whenever the demo is started.

export const DEMO_PASSWORD = "foidesk-demo";
/**
 * Managers and administrators must type a code from an authenticator app. The demo's have this key, published
 * here and in the start-up banner (add it to any authenticator app, or run `foidesk demo code`). A real
 * authority's accounts each get a secret of their own when they set up their app.
 */
export const DEMO_TOTP_SECRET = "GVEWS4TUNBAWGZLE6NXHI2LEMVZWWZLZ";

export interface DemoLogin {
  username: string;
  role: string;
  name: string;
  password: string;
  /** Signs in with a code from an authenticator app holding DEMO_TOTP_SECRET too. */
  needsCode: boolean;
}

export interface DemoResult {
  /** False when the database already had an authority: nothing was added. */
  loaded: boolean;
  requests: number;
  logins: DemoLogin[];
}

const logins: DemoLogin[] = demoStaff.map((person) => ({
  ...person,
  password: DEMO_PASSWORD,
  needsCode: secondFactorRequired(person.role, "managers"),
}));

/** The demo's key, as people type it into an authenticator app. */
export const demoTotpKey = groupedSecret(DEMO_TOTP_SECRET);

/**
 * `files`: where the sent replies' letters are kept (without it, the demo's replies have no letter on file);
 * `baseUrl`: the site's address, for the link to the demo's statistics table in the gangs reply.
 */
export async function loadDemoData(
  db: Kysely<Database>,
  now: Date,
  files?: FileStore,
  options: { baseUrl?: string } = {},
): Promise<DemoResult> {
  if (await authorityIsSetUp(db)) return { loaded: false, requests: 0, logins };
  await setUpAuthority(db, {
    name: "Westmarch Constabulary",
    address: "Information Rights Unit, Westmarch Constabulary, 1 Castle Street, Westmarch WM1 1AA",
    email: "foi@westmarch.police.example",
    // Ofcom's drama range: a number that rings nowhere. EIR requests may be made by phone.
    phone: "01632 960 000",
  });
  const staff = new Map<string, StaffUser>();
  for (const person of demoStaff) {
    const user = await createUser(
      db,
      { ...person, password: DEMO_PASSWORD },
      { userId: null, label: "demo" },
      now,
    );
    staff.set(person.username, user);
    if (secondFactorRequired(user.role, "managers"))
      await enrolKnownSecret(db, user.id, DEMO_TOTP_SECRET, { userId: null, label: "demo" }, now);
  }
  // Requests made on the public site then show in the demo officers' "My team" queue.
  // The demo's one team handles subject access too (a real authority names a smaller SAR team: settings).
  await updateAuthoritySettings(db, { intakeTeam: "Information Rights", sarTeam: "Information Rights" }, now);
  const actor = (username: string): Actor => {
    const user = staff.get(username)!;
    return { userId: user.id, label: user.name, role: user.role };
  };
  const today = tryParseIsoDate(londonDate(now));
  const teamId = staff.get("officer")!.teamId ?? undefined;
  const letters = files ?? memoryFileStore();
  const letterhead = await replyLetterhead(db);
  const baseUrl = options.baseUrl ?? "http://localhost:3000";
  for (const request of demoRequests)
    await loadRequest(db, request, today, actor, teamId, letters, letterhead, baseUrl);
  // A fees notice given more than three months ago lapses by itself (FOIA s.9(2)).
  await lapseUnpaidFees(db, now);
  await publishDemoReplies(db, now);
  await draftDemoReplies(db, now, files);
  const { releaseId } = await seedDemoStatistics(db, now, {
    baseUrl,
    manager: actor("manager"),
  });
  await seedDemoPublicationScheme(db, now, { manager: actor("manager"), releaseId });
  return { loaded: true, requests: demoRequests.length, logins };
}

/**
 * The references of the demo's requests that the README's walk-through names, as `npm start` prints them:
 * they hold the year the demo was loaded, so the README names each by what it is and the start-up says which
 * reference it has on this machine.
 */
export async function demoWalkThroughReferences(
  db: Kysely<Database>,
): Promise<{ label: string; reference: string }[]> {
  const named = [{ label: "The gangs request", body: demoRequests[0]!.body }];
  const found: { label: string; reference: string }[] = [];
  for (const { label, body } of named) {
    const row = await referenceOfRequestWithBody(db, body);
    if (row) found.push({ label, reference: row.reference });
  }
  return found;
}

/** The actions that take a new request to `state`, oldest first. */
function pathTo(state: RequestState, request: DemoRequest): Array<Record<string, unknown>> {
  const outcome = request.outcome ?? "granted-in-full";
  const signedOff = outcomeNeedsApproval(outcome, request.regime);
  const working = [{ type: "acknowledge" }, { type: "start-work" }];
  const publicInterest = {
    type: "extend",
    extension: "pit",
    reason: "The public interest test needs more time (s.10(3)).",
    dated: true,
    notice:
      "Refusal notice (s.17(2)): the information may be exempt under s.31; we need more time to consider the public interest and expect to decide within 20 further working days.",
  };
  // `onDay`: the working day after receipt the step is taken on (an answer the demo makes late or extended).
  const answerDay = request.answeredOnWorkingDay;
  // Under FOIA, the EIR, FOISA and the EISR a request is answered only by sending its reply: the demo drafts
  // a complete one ("draft-reply") and sends it ("send-reply") as an officer would. A subject access reply is
  // made outside foidesk, so its outcome is recorded after sign-off.
  const drafted = isSubjectAccess(request.regime) ? [] : [{ type: "draft-reply" }];
  const answer = isSubjectAccess(request.regime)
    ? { type: "record-outcome", outcome, dated: true }
    : { type: "send-reply" };
  const answered = [
    ...working,
    ...(request.extendedOnWorkingDay !== undefined
      ? [{ ...publicInterest, onDay: request.extendedOnWorkingDay }]
      : []),
    ...drafted,
    ...(signedOff
      ? [
          { type: "submit-for-approval", outcome },
          // Signed off the working day before the reply is sent (the next working day when not fixed).
          {
            type: "approve",
            by: "abi",
            ...(answerDay !== undefined ? { onDay: answerDay - 1 } : { gap: 1 }),
          },
        ]
      : []),
    {
      ...answer,
      ...(answerDay !== undefined ? { onDay: answerDay } : signedOff ? { gap: 1 } : {}),
    },
  ];
  const reviewed = [
    ...answered,
    { type: "request-review", dated: true, grounds: "I do not accept the exemption." },
  ];
  // Someone not involved in the original decision (s.45 code, part 5), the manager, drafts and sends the
  // review letter, which records the decision; a subject access review's letter is written outside foidesk.
  const decided = [
    ...reviewed,
    request.regime === "sar"
      ? { type: "decide-review", reviewOutcome: "upheld", dated: true, by: "manager" }
      : { type: "send-review-letter", reviewOutcome: "upheld", by: "manager" },
  ];
  const noticeNotUpheld = (reference: string) => [
    ...decided,
    { type: "record-complaint", dated: true, regulatorReference: reference },
    {
      type: "record-decision-notice",
      result: "not-upheld",
      dated: true,
      regulatorReference: reference,
      onDay: 180,
    },
  ];
  const appeal = {
    type: "record-appeal",
    appellant: "requester",
    tribunalReference: "EA/2026/0142",
    dated: true,
    onDay: 195,
  };
  const paths: Record<RequestState, Array<Record<string, unknown>>> = {
    received: [],
    acknowledged: [{ type: "acknowledge" }],
    "awaiting-clarification": [
      { type: "acknowledge" },
      { type: "request-clarification", dated: true, note: "Asked which years are wanted." },
    ],
    "awaiting-fee": [{ type: "acknowledge" }, { type: "issue-fees-notice", dated: true, amountPence: 2450 }],
    "awaiting-identity": [
      { type: "acknowledge" },
      {
        type: "request-identity",
        dated: true,
        note: "Asked for a copy of a utility bill at the home address.",
      },
    ],
    "in-progress": working,
    extended: [...working, publicInterest],
    "awaiting-approval": [...working, ...drafted, { type: "submit-for-approval", outcome }],
    approved: [
      ...working,
      ...drafted,
      { type: "submit-for-approval", outcome },
      { type: "approve", by: "abi" },
    ],
    responded: answered,
    withdrawn: [
      { type: "acknowledge" },
      { type: "withdraw", dated: true, note: "The requester found the answer online." },
    ],
    lapsed: [
      { type: "acknowledge" },
      { type: "request-clarification", dated: true, note: "Asked which incidents are meant." },
      { type: "lapse", dated: true },
    ],
    invalid: [],
    "review-requested": reviewed,
    "review-decided": decided,
    "regulator-complaint": [
      ...decided,
      { type: "record-complaint", dated: true, regulatorReference: "IC-241953-Q2X8" },
    ],
    // FOIA s.50: the notice partly upholds the complaint, with steps to take within 35 days.
    "decision-notice": [
      ...decided,
      { type: "record-complaint", dated: true, regulatorReference: "IC-198822-B7M1" },
      {
        type: "record-decision-notice",
        result: "partly-upheld",
        dated: true,
        regulatorReference: "IC-198822-B7M1",
        steps:
          "Disclose the contract's total value and the provider's staffing model; the unit prices may stay withheld.",
        complianceAfterDays: 35,
      },
    ],
    // FOIA s.57: the requester appeals a notice that did not uphold the complaint.
    "tribunal-appeal": [...noticeNotUpheld("IC-305518-K4P2"), appeal],
    "tribunal-decided": [
      ...noticeNotUpheld("IC-277140-H9D3"),
      appeal,
      { type: "record-tribunal-outcome", tribunalResult: "dismissed", dated: true },
    ],
    "regulator-closed": [
      ...noticeNotUpheld("IC-260071-T1M6"),
      { type: "close-regulator-stage", note: "No appeal within 28 days.", onDay: 240 },
    ],
  };
  return paths[state];
}

async function loadRequest(
  db: Kysely<Database>,
  request: DemoRequest,
  today: number,
  actor: (username: string) => Actor,
  teamId: number | undefined,
  files: FileStore,
  letterhead: Letterhead,
  baseUrl: string,
) {
  const calendar = workingCalendar("uk");
  const received = calendar.addWorkingDays(today, -request.receivedWorkingDaysAgo);
  const receivedDate = formatIsoDate(received);
  const officer = actor(request.officer);
  const created = await createRequest(
    db,
    {
      regime: request.regime,
      channel: request.channel,
      receivedDate,
      body: request.body,
      topic: request.topic,
      requester: request.requester,
      teamId,
      assigneeId: request.state === "received" ? undefined : (officer.userId ?? undefined),
    },
    officer,
    at(receivedDate),
  );
  if (!created.valid) return;
  const path = pathTo(request.state, request);
  // Spread the actions over the working days since receipt; a lapse waits the three months it needs.
  let day = received;
  let version = 1;
  for (const [index, step] of path.entries()) {
    const remaining = path.length - index;
    const room = Math.max(0, calendar.countWorkingDays(day, today) - remaining);
    day =
      step.type === "lapse"
        ? addMonthsClamped(day, 3)
        : typeof step.onDay === "number"
          ? Math.max(day, calendar.addWorkingDays(received, step.onDay))
          : calendar.addWorkingDays(
              day,
              Math.min(room, typeof step.gap === "number" ? step.gap : 1 + (index % 3) * 4),
            );
    if (day > today) day = today;
    const date = formatIsoDate(day);
    const { by, dated, gap: _gap, onDay: _onDay, complianceAfterDays, ...action } = step;
    if (typeof complianceAfterDays === "number")
      action.complianceDate = formatIsoDate(day + complianceAfterDays);
    const who = typeof by === "string" ? actor(by) : officer;
    if (action.type === "draft-reply") {
      const content = sampleReply(
        {
          reference: created.reference,
          regime: request.regime,
          received_date: receivedDate,
          body: request.body,
          topic: request.topic,
          outcome: request.outcome ?? "granted-in-full",
          requester_name: request.requester.name,
          requester_email: request.requester.email ?? null,
          requester_address: request.requester.address ?? null,
        },
        date,
      );
      version = (await saveReplyDraft(db, created.id, content, version, who, at(date))).version;
    } else if (action.type === "send-reply") {
      const sent = await sendReply(db, files, demoMailer, created.id, version, who, at(date), letterhead);
      version = await postedTheSameDay(db, created.id, sent, who, at(date), "reply");
    } else if (action.type === "acknowledge") {
      // As every channel does: the email (to the demo's mailer) or, to a postal address, the letter on file.
      const deps = { db, files, mailer: demoMailer, baseUrl };
      version = (await acknowledgeRequest(deps, created.id, version, who, at(date))).version;
    } else if (action.type === "send-review-letter") {
      const draft = await newReplyInput(db, created.id, who, at(date), "review");
      const content = {
        ...draft,
        review: {
          ...(draft.review as object),
          outcome: action.reviewOutcome,
          reasons: [
            "I was not involved in the original decision. I have looked again at the request, the information we hold and the reasons given in our reply.",
            "The exemption was correctly applied, and the public interest in withholding the information still outweighs the public interest in disclosing it.",
          ],
        },
      } as ReplyInput;
      version = (await saveReplyDraft(db, created.id, content, version, who, at(date), "review")).version;
      const sent = await sendReply(
        db,
        files,
        demoMailer,
        created.id,
        version,
        who,
        at(date),
        letterhead,
        "review",
      );
      version = await postedTheSameDay(db, created.id, sent, who, at(date), "review");
    } else {
      const result = await performAction(
        db,
        created.id,
        { ...action, ...(dated ? { date } : {}) },
        version,
        who,
        at(date),
      );
      version = result.version;
    }
  }
}

/**
 * A letter to a postal address is given when it is posted (FOIA s.10(1)): the demo's officers post theirs the
 * day they are generated, and record it. The request's version after.
 */
async function postedTheSameDay(
  db: Kysely<Database>,
  requestId: number,
  sent: SentReply,
  who: Actor,
  when: Date,
  letter: "reply" | "review",
): Promise<number> {
  if (sent.method !== "post") return sent.version;
  const date = londonDate(when);
  return (await recordPosted(db, requestId, { date }, sent.version, who, when, letter)).version;
}

/** The demo's replies are not emailed to its fictional requesters: the letters are kept on file. */
const demoMailer = recordOnlyMailer;

function at(date: string): Date {
  return new Date(`${date}T10:00:00Z`);
}
