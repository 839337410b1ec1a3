// The casework benchmark's data: a deterministic, realistic history of an authority's requests. Pure (no I/O):
// each batch of requests is a function of the seed and the batch number, so an interrupted load resumes at
// the first batch not committed and ends with the same database as an uninterrupted one.
import {
  addMonthsClamped,
  type DayNumber,
  formatIsoDate,
  londonDate,
  tryParseIsoDate,
  type WorkingCalendar,
  workingCalendar,
} from "../../src/calendar/index.ts";
import type { ClockEvent, ClockSettings } from "../../src/law/index.ts";
import { seededRandom } from "../../src/random.ts";
// Not exported by src/requests/index.ts: the bench builds chains exactly as the service does, without going
// through createRequest/performAction a million times.
import type { RequestEvent } from "../../src/requests/events.ts";
import { eventHash, GENESIS_HASH } from "../../src/requests/history.ts";
import {
  type Actor,
  currentDeadline,
  dueColumns,
  formatReference,
  type Outcome,
  type RequestState,
  transitions,
} from "../../src/requests/index.ts";

export interface StaffMember {
  id: number;
  label: string;
  role: "officer" | "approver" | "manager" | "admin";
  teamId: number | null;
}

export interface Plan {
  n: number;
  seed: number;
  /** The generation's "now": nothing happens after it. */
  now: Date;
  years: number;
  teamIds: number[];
  staff: StaffMember[];
  requesters: RequesterPlan;
  batchSize: number;
}

// ——— requesters: a few prolific ones (journalists, campaigners), some regulars, a long tail of one-offs ———

export interface RequesterPlan {
  prolific: number;
  regular: number;
  occasional: number;
}

export function requesterPlan(n: number): RequesterPlan {
  return {
    prolific: Math.max(1, Math.round(n / 20_000)),
    regular: Math.max(1, Math.round(n / 500)),
    occasional: Math.max(1, Math.round((n * 0.88) / 2)),
  };
}

export function requesterCount(plan: RequesterPlan): number {
  return plan.prolific + plan.regular + plan.occasional;
}

const firstNames =
  "Amira Ben Chloe Dev Ellis Fatima George Hana Isaac Jade Kofi Laura Mohammed Niamh Owen Priya Quentin Rosa Sam Tariq Una Victor Wen Yusuf Zoe".split(
    " ",
  );
const lastNames =
  "Adeyemi Brown Campbell Davies Evans Fraser Green Hughes Iqbal Jones Khan Lewis Morgan Nowak O'Brien Patel Quinn Roberts Smith Thomas Walsh Williams Young".split(
    " ",
  );
const outlets =
  "Northern Echo|Bureau of Investigative Journalism|Evening Post|BBC Shared Data Unit|Local Democracy Service|The Ferret|Campaign for Clean Air|Open Rights Group|Institute for Government".split(
    "|",
  );

export interface RequesterRow {
  id: number;
  name: string;
  email: string | null;
  address: string | null;
  organisation: string | null;
  type: string;
}

/** Requester `id` (1-based): prolific first, then regular, then occasional. */
export function requesterRow(plan: RequesterPlan, id: number, seed: number): RequesterRow {
  const random = seededRandom(seed * 31 + id);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const name = `${pick(firstNames)} ${pick(lastNames)}`;
  const handle = `${name.toLowerCase().replace(/[^a-z]+/g, ".")}.${id}`;
  if (id <= plan.prolific + plan.regular) {
    const prolific = id <= plan.prolific;
    const type = prolific
      ? pick(["journalist", "journalist", "campaign-group", "researcher", "mp-councillor"])
      : pick(["journalist", "researcher", "business", "solicitor", "mp-councillor", "public"]);
    const organisation = type === "public" ? null : pick(outlets);
    return { id, name, email: `${handle}@example.org`, address: null, organisation, type };
  }
  const postal = random() < 0.1;
  return {
    id,
    name,
    email: postal ? null : `${handle}@example.net`,
    address: postal ? `${1 + Math.floor(random() * 200)} High Street, Anytown AN${id % 10} 1AA` : null,
    organisation: null,
    type: random() < 0.9 ? "public" : pick(["journalist", "researcher", "business", "solicitor"]),
  };
}

// ——— the arrival of requests: working days busier, volume growing ~6% a year ———

export interface Arrivals {
  first: DayNumber;
  /** cumulative[d] = number of requests received before day first + d. */
  cumulative: Float64Array;
}

export function arrivals(n: number, now: Date, years: number): Arrivals {
  const today = tryParseIsoDate(londonDate(now));
  const first = today - Math.round(years * 365.25);
  const calendar = workingCalendar("uk");
  const weights: number[] = [];
  let total = 0;
  for (let day = first; day <= today; day++) {
    const weight = (calendar.isWorkingDay(day) ? 1 : 0.15) * 1.06 ** ((day - first) / 365.25);
    weights.push(weight);
    total += weight;
  }
  const cumulative = new Float64Array(weights.length + 1);
  for (let i = 0; i < weights.length; i++)
    cumulative[i + 1] = (cumulative[i] as number) + ((weights[i] as number) * n) / total;
  return { first, cumulative };
}

/** The day request index `i` (0-based) was received: indices are in order of receipt. */
function receivedDay(arrival: Arrivals, i: number, hint: number): number {
  let d = hint;
  const lastDay = arrival.cumulative.length - 2;
  while (d < lastDay && Math.floor(arrival.cumulative[d + 1] as number) <= i) d++;
  return d;
}

// ——— one batch ———

export interface GeneratedRequest {
  id: number;
  reference: string;
  regime: string;
  channel: string;
  receivedDate: string;
  body: string;
  questions: string;
  topic: string;
  state: string;
  outcome: string | null;
  valid: boolean;
  invalidReason: string | null;
  clock: string;
  dueDate: string | null;
  dueKind: string | null;
  refusalNoticeDue: string | null;
  clockStopped: boolean;
  reviewReceivedDate: string | null;
  reviewOutcome: string | null;
  requesterId: number;
  assigneeId: number | null;
  teamId: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

export interface GeneratedEvent {
  requestId: number;
  seq: number;
  type: string;
  payload: string;
  actorId: number | null;
  actorLabel: string;
  occurredAt: string;
  prevHash: string;
  hash: string;
}

export interface Batch {
  requests: GeneratedRequest[];
  events: GeneratedEvent[];
}

/** Reference counters by "regime:year", carried from batch to batch (and stored, for a resumed load). */
export type Counters = Map<string, number>;

const topics: { topic: string; asks: string[] }[] = [
  {
    topic: "Policing",
    asks: [
      "the number of stop and search encounters in each borough, broken down by outcome",
      "the number of knife crime offences recorded in each ward",
      "how many officers were dismissed for gross misconduct",
      "the average response time to emergency calls",
    ],
  },
  {
    topic: "Finance",
    asks: [
      "the total spent on agency staff",
      "every payment over £500 made to management consultants",
      "the cost of the new headquarters refurbishment, with the contracts awarded",
      "the amount written off in unpaid invoices",
    ],
  },
  {
    topic: "Environment",
    asks: [
      "the air quality monitoring results for nitrogen dioxide at each site",
      "the number of fly-tipping incidents reported and the fines issued",
      "the planning correspondence about the proposed incinerator",
      "the tonnage of household waste sent to landfill",
    ],
  },
  {
    topic: "Housing",
    asks: [
      "the number of households in temporary accommodation",
      "the number of damp and mould complaints about council homes",
      "the average waiting time on the housing register by band",
    ],
  },
  {
    topic: "Staff",
    asks: [
      "the number of staff earning over £100,000",
      "the number of grievances and tribunal claims brought by staff",
      "the sickness absence rate by directorate",
    ],
  },
  {
    topic: "IT",
    asks: [
      "the names of the suppliers of the case management and finance systems and the contract end dates",
      "the number of cyber security incidents reported to the ICO",
      "the spend on cloud hosting",
    ],
  },
  {
    topic: "Roads",
    asks: [
      "the number of potholes reported and repaired within 28 days",
      "the income from parking penalty charge notices at each car park",
      "the compensation paid for vehicle damage caused by road defects",
    ],
  },
];
const periods = [
  "for each of the last three financial years",
  "for the calendar years 2019 to 2023",
  "since 1 April 2020",
  "for the last twelve months",
  "for each month of the last year",
];
const outcomeWeights: [Outcome, number][] = [
  ["granted-in-full", 0.45],
  ["partially-withheld", 0.2],
  ["withheld-in-full", 0.07],
  ["not-held", 0.18],
  ["ncnd", 0.02],
  ["refused-cost", 0.06],
  ["refused-vexatious", 0.01],
  ["refused-repeated", 0.01],
];
const nextState = new Map(transitions.map((transition) => [transition.action, transition.to]));
const settings: ClockSettings = { receiptReading: "ico" };
const system: Actor = { userId: null, label: "foidesk", role: "system" };
const onlineForm: Actor = { userId: null, label: "Online form", role: "system" };

function weighted<T>(random: () => number, choices: readonly [T, number][]): T {
  let u = random();
  for (const [value, weight] of choices) {
    u -= weight;
    if (u < 0) return value;
  }
  return choices[choices.length - 1]![0];
}

/** Requests [batch * batchSize, …) of the plan, with their events; `counters` is advanced in place. */
export function generateBatch(plan: Plan, arrival: Arrivals, batch: number, counters: Counters): Batch {
  const random = seededRandom(plan.seed * 1_000_003 + batch);
  const integer = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const calendar: WorkingCalendar = workingCalendar("uk");
  const today = tryParseIsoDate(londonDate(plan.now));
  const nowMs = plan.now.getTime();
  // n working days after `day` (0: `day` itself if working, else the next working day).
  const wd = (day: number, n: number) =>
    n <= 0 ? calendar.nextWorkingDay(day) : calendar.addWorkingDays(day, n);
  const byTeam = new Map<number, { officers: StaffMember[]; approvers: StaffMember[] }>();
  for (const member of plan.staff) {
    if (member.teamId === null) continue;
    const team = byTeam.get(member.teamId) ?? { officers: [], approvers: [] };
    (member.role === "officer" ? team.officers : team.approvers).push(member);
    byTeam.set(member.teamId, team);
  }
  const managers = plan.staff.filter((member) => member.role === "manager");
  // Teams do not share the work evenly: the first teams get the most.
  const teamWeights: [number, number][] = plan.teamIds.map((id, index) => [id, 1 / (index + 3)]);
  const teamTotal = teamWeights.reduce((sum, [, weight]) => sum + weight, 0);
  for (const entry of teamWeights) entry[1] /= teamTotal;
  const rp = plan.requesters;

  const requests: GeneratedRequest[] = [];
  const events: GeneratedEvent[] = [];
  const start = batch * plan.batchSize;
  const end = Math.min(plan.n, start + plan.batchSize);
  let dayIndex = receivedDay(arrival, start, 0);

  for (let i = start; i < end; i++) {
    const id = i + 1;
    dayIndex = receivedDay(arrival, i, dayIndex);
    const received = arrival.first + dayIndex;
    const receivedDate = formatIsoDate(received);
    const year = Number(receivedDate.slice(0, 4));

    const who = random();
    const requesterId =
      who < 0.03
        ? integer(1, rp.prolific)
        : who < 0.12
          ? rp.prolific + integer(1, rp.regular)
          : rp.prolific + rp.regular + integer(1, rp.occasional);
    const regime =
      requesterId <= rp.prolific
        ? random() < 0.85
          ? "foia"
          : "eir"
        : weighted(random, [
            ["foia", 0.72],
            ["eir", 0.12],
            ["sar", 0.15],
            ["foisa", 0.01],
          ] as const);
    const channel = weighted(random, [
      ["web", 0.55],
      ["email", 0.37],
      ["post", 0.07],
      [regime === "eir" ? "phone" : "email", 0.01],
    ] as const);
    const teamId = weighted(random, teamWeights);
    const team = byTeam.get(teamId)!;
    const subject = pick(topics);
    const questionCount = integer(1, 3);
    const questions: string[] = [];
    const offset = integer(0, subject.asks.length - 1);
    for (let q = 0; q < questionCount && q < subject.asks.length; q++) {
      const ask = subject.asks[(offset + q) % subject.asks.length];
      questions.push(`Please provide ${ask} ${pick(periods)}.`);
    }
    const sequence = (counters.get(`${regime}:${year}`) ?? 0) + 1;
    counters.set(`${regime}:${year}`, sequence);
    const reference = formatReference("{unit}.{regime}.{yy}.{seq:6}", {
      unit: "01",
      regime,
      year,
      seq: sequence,
    });

    // The history, step by step; a step dated after today has not happened yet, and nothing after it either.
    const chain: GeneratedEvent[] = [];
    const history: RequestEvent[] = [];
    let state: RequestState = "received";
    let lastDay = received;
    let lastActor: Actor = system;
    let dayEvents = 0;
    let lastMs = 0;
    const clock: ClockEvent[] = [];
    let outcome: string | null = null;
    let assignee: StaffMember | null = null;
    let reviewReceivedDate: string | null = null;
    let reviewOutcome: string | null = null;
    let prevHash = GENESIS_HASH;
    const happen = (type: string, day: number, payload: Record<string, unknown>, actor: Actor): boolean => {
      if (day > today) return false;
      dayEvents = day === lastDay ? dayEvents + 1 : 0;
      // Office hours (UTC is near enough), in order, never after the generation's now.
      const dayMs = day * 86_400_000; // day numbers count from 1970-01-01
      let at = dayMs + (8.5 * 60 + dayEvents * 40 + integer(0, 30)) * 60_000;
      at = Math.max(lastMs, Math.min(at, nowMs));
      lastMs = at;
      const occurredAt = new Date(at);
      const event = {
        requestId: id,
        seq: chain.length + 1,
        type,
        payload,
        actorId: actor.userId,
        actorLabel: actor.label,
        occurredAt,
        prevHash,
      };
      const hash = eventHash(event);
      chain.push({
        requestId: id,
        seq: event.seq,
        type,
        payload: JSON.stringify(payload),
        actorId: actor.userId,
        actorLabel: actor.label,
        occurredAt: occurredAt.toISOString(),
        prevHash,
        hash,
      });
      prevHash = hash;
      history.push({ type, payload } as RequestEvent);
      const to = nextState.get(type as never);
      if (to) state = to;
      lastDay = day;
      lastActor = actor;
      return true;
    };
    const staffActor = (member: StaffMember): Actor => ({
      userId: member.id,
      label: member.label,
      role: member.role,
    });

    const valid = random() >= 0.012;
    if (!valid) {
      // FOIA s.8(1)(c): no description of the information; recorded, not dropped.
      const problems = ["The request does not describe the information requested (s.8(1)(c))"];
      const officer = pick(team.officers);
      happen(
        "recorded-invalid",
        Math.min(wd(received, 0), today),
        { regime, channel, receivedDate, problems },
        staffActor(officer),
      );
      state = "invalid";
      questions.length = 0;
    } else {
      // Logged on receipt (web) or the next working day or two; never after today (it exists: it is logged).
      const logDay =
        channel === "web" ? received : Math.min(today, wd(received, channel === "post" ? integer(0, 2) : 0));
      happen(
        "created",
        logDay,
        { regime, channel, receivedDate },
        channel === "web" ? onlineForm : staffActor(pick(team.officers)),
      );
      assignee = null;
      const officer = pick(team.officers);
      const approver = pick(team.approvers);
      const assigner = random() < 0.5 ? officer : pick(managers.length ? managers : team.approvers);
      const steps = (): void => {
        if (!happen("acknowledge", wd(lastDay, integer(0, 2)), {}, staffActor(officer))) return;
        if (
          !happen(
            "assign",
            wd(lastDay, integer(0, 2)),
            { assigneeId: officer.id, assigneeName: officer.label },
            staffActor(assigner),
          )
        )
          return;
        assignee = officer;
        const me = staffActor(officer);
        if (!happen("start-work", wd(lastDay, integer(1, 3)), {}, me)) return;
        if (random() < 0.08) {
          const requested = wd(lastDay, integer(1, 5));
          const note = "Please tell us which years and which areas you mean.";
          if (!happen("request-clarification", requested, { date: formatIsoDate(requested), note }, me))
            return;
          clock.push({ kind: "clarification", requested: formatIsoDate(requested) });
          const u = random();
          if (u < 0.65) {
            const arrived = requested + integer(1, 30);
            if (!happen("receive-clarification", arrived, { date: formatIsoDate(arrived) }, me)) return;
            (clock[clock.length - 1] as { received?: string }).received = formatIsoDate(arrived);
          } else if (u < 0.93) {
            // ICO guidance: closed when no clarification arrives within three months.
            const lapsed = addMonthsClamped(requested, 3) + integer(0, 15);
            happen("lapse", lapsed, { date: formatIsoDate(lapsed) }, system);
            return;
          } else {
            const withdrawn = requested + integer(1, 20);
            happen("withdraw", withdrawn, { date: formatIsoDate(withdrawn) }, me);
            return;
          }
        }
        if (random() < 0.015) {
          const notice = wd(lastDay, integer(1, 5));
          const amountPence = 100 * integer(5, 80);
          if (!happen("issue-fees-notice", notice, { date: formatIsoDate(notice), amountPence }, me)) return;
          clock.push({ kind: "fee", requested: formatIsoDate(notice) });
          if (random() < 0.6) {
            const paid = notice + integer(1, 40);
            if (!happen("receive-fee", paid, { date: formatIsoDate(paid) }, me)) return;
            (clock[clock.length - 1] as { paid?: string }).paid = formatIsoDate(paid);
          } else {
            // FOIA s.9(2): the fee is not paid within three months.
            const lapsed = addMonthsClamped(notice, 3) + integer(0, 15);
            happen("lapse", lapsed, { date: formatIsoDate(lapsed) }, system);
            return;
          }
        }
        if (random() < 0.12) {
          if (
            !happen(
              "add-note",
              wd(lastDay, integer(0, 3)),
              { note: "Searched the shared drive and the finance system." },
              me,
            )
          )
            return;
        }
        if (random() < 0.02) {
          const withdrawn = wd(lastDay, integer(1, 15));
          happen("withdraw", withdrawn, { date: formatIsoDate(withdrawn) }, me);
          return;
        }
        const extension = { foia: "pit", eir: "eir-complex", sar: "sar" }[regime as "foia"];
        if (extension && random() < (regime === "foia" ? 0.05 : 0.03)) {
          if (
            !happen(
              "extend",
              wd(lastDay, integer(3, 12)),
              { extension, reason: "The public interest test needs more time." },
              me,
            )
          )
            return;
          clock.push({ kind: "extension", type: extension as "pit" });
        }
        // When the reply goes: mostly in time, some late, a long tail very late (the backlog).
        const due = tryParseIsoDate(
          currentDeadline(
            { regime, state, receivedDate, clock, reviewReceivedDate: null },
            settings,
            formatIsoDate(lastDay),
          ).dueDate,
        );
        const lateness = random();
        const target =
          lateness < 0.82
            ? lastDay + Math.floor(random() * Math.max(1, due - lastDay + 1))
            : wd(
                due,
                lateness < 0.93 ? integer(1, 20) : lateness < 0.98 ? integer(21, 100) : integer(101, 700),
              );
        const respond = wd(Math.max(target, lastDay), 0);
        const chosen = weighted(random, outcomeWeights);
        if (regime === "sar" || !(chosen === "granted-in-full" || chosen === "not-held")) {
          // Four-eyes: the author submits, the team's approver signs off.
          if (
            !happen(
              "submit-for-approval",
              Math.max(lastDay, respond - integer(3, 10)),
              { outcome: chosen },
              me,
            )
          )
            return;
          if (!happen("approve", Math.max(lastDay, respond - integer(0, 3)), {}, staffActor(approver)))
            return;
        }
        if (!happen("record-outcome", respond, { outcome: chosen, date: formatIsoDate(respond) }, me)) return;
        outcome = chosen;
        if (random() >= 0.05) return;
        const review = wd(lastDay, integer(1, 40));
        const grounds = "I do not accept that the exemption applies.";
        if (!happen("request-review", review, { date: formatIsoDate(review), grounds }, staffActor(officer)))
          return;
        reviewReceivedDate = formatIsoDate(review);
        // Only a FOIA review can be extended (the s.45 code's 20 more working days); law refuses an EIR one.
        if (random() < 0.08 && regime === "foia") {
          if (
            !happen(
              "extend-review",
              wd(lastDay, integer(10, 18)),
              { workingDays: 20, reason: "Complex." },
              me,
            )
          )
            return;
          clock.push({ kind: "extension", type: "internal-review", workingDays: 20 });
        }
        const decided = wd(Math.max(lastDay, review), random() < 0.9 ? integer(5, 25) : integer(26, 60));
        const decision = pick(["upheld", "upheld", "upheld", "partly-overturned", "overturned"]);
        if (
          !happen(
            "decide-review",
            decided,
            { reviewOutcome: decision, date: formatIsoDate(decided) },
            staffActor(approver),
          )
        )
          return;
        reviewOutcome = decision;
        if (random() >= 0.12) return;
        const complaint = lastDay + integer(10, 60);
        const regulatorReference = `IC-${100000 + integer(0, 899999)}-${integer(1000, 9999)}`;
        if (
          !happen("record-complaint", complaint, { date: formatIsoDate(complaint), regulatorReference }, me)
        )
          return;
        // Every complaint ends in a decision notice, two to ten months on; only recent ones are still open.
        const notice = complaint + integer(60, 300);
        const result = pick(["upheld", "partly-upheld", "not-upheld", "not-upheld"]);
        happen(
          "record-decision-notice",
          notice,
          { result, date: formatIsoDate(notice), regulatorReference },
          me,
        );
      };
      steps();
    }

    // The row caches what the last event computed (performAction): the deadline as of that day, or at the
    // regulator stage the decision notice's, by the service's own rule.
    const due = dueColumns(
      regime,
      state,
      history,
      state === "invalid"
        ? null
        : currentDeadline(
            { regime, state, receivedDate, clock, reviewReceivedDate },
            settings,
            formatIsoDate(lastDay),
          ),
    );
    const first = chain[0]!;
    const last = chain[chain.length - 1]!;
    requests.push({
      id,
      reference,
      regime,
      channel,
      receivedDate,
      body:
        questions.length > 1 ? questions.map((q, k) => `${k + 1}. ${q}`).join("\n") : (questions[0] ?? ""),
      questions: JSON.stringify(questions),
      topic: subject.topic,
      state,
      outcome,
      valid,
      invalidReason: valid ? null : "The request does not describe the information requested (s.8(1)(c))",
      clock: JSON.stringify(clock),
      dueDate: due.due_date,
      dueKind: due.due_kind,
      refusalNoticeDue: due.refusal_notice_due,
      clockStopped: due.clock_stopped,
      reviewReceivedDate,
      reviewOutcome,
      requesterId,
      assigneeId: (assignee as StaffMember | null)?.id ?? null,
      teamId,
      version: chain.length,
      createdAt: first.occurredAt,
      updatedAt: last.occurredAt,
      updatedBy: lastActor.label,
    });
    for (const event of chain) events.push(event);
  }
  return { requests, events };
}
