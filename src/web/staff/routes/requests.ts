import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { tryParseIsoDate } from "../../../calendar/index.ts";
import { DomainError, type FieldProblem, parseInput } from "../../../errors.ts";
import {
  actionSchema,
  actionTypes,
  channels,
  DUE_SOON_WORKING_DAYS,
  isOpen,
  newRequestSchema,
  type QueueCursor,
  type RequestState,
  requestDetail,
  requesterTypeLabels,
  requestRegimes,
  requestStates,
  stateLabels,
  submitRequest,
  takeAction,
  transitions,
  type WorkQueueFilter,
  workQueue,
} from "../../../requests/index.ts";
import { can, type StaffUser, teamsWithStaff } from "../../../users/index.ts";
import { actorFor, currentUser } from "../../auth.ts";
import { dueDateTag } from "../../due-date-tag.ts";
import { errorSummary } from "../../errors.ts";
import { acknowledgeDeps, intakeDeps } from "../../inbound.ts";
import { idParams } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";
import { actionPath, requestPath } from "./paths.ts";
import { FormProblems, fieldText, formBody, positiveInteger, todayParts } from "./requests-forms.ts";
import { actionPageContext, assignableStaff, requestPageContext } from "./requests-pages.ts";
import { channelLabels, regimeLabels, stateTag } from "./requests-present.ts";

// The casework pages: the work queue, a request and the actions allowed on it, and logging a request by hand.

const actionParams = idParams.extend({ type: z.enum(actionTypes) });

const queueQuery = z.object({
  view: z.string().optional(),
  state: z.string().optional(),
  regime: z.string().optional(),
  due: z.string().optional(),
  overdue: z.string().optional(),
  page: z.string().optional(),
  after: z.string().optional(),
  before: z.string().optional(),
});
type QueueQuery = z.infer<typeof queueQuery>;

const isManager = (user: StaffUser) => can(user, "see-every-queue").allowed;

/** Whose requests the queue shows: mine, my team's, or (for managers) any team's or everyone's. */
function queueViews(user: StaffUser, teams: { id: number; name: string }[]) {
  const views = [{ value: "mine", text: "Assigned to me" }];
  if (user.teamId !== null) views.push({ value: "team", text: `My team (${user.teamName})` });
  if (isManager(user)) {
    views.push({ value: "all", text: "All teams" });
    for (const team of teams)
      if (team.id !== user.teamId) views.push({ value: `team-${team.id}`, text: `Team: ${team.name}` });
  }
  return views;
}

/** The queue's filter from the query string; what cannot be read is reported, not guessed. */
function queueFilter(user: StaffUser, query: QueueQuery, views: { value: string }[]) {
  const problems: FieldProblem[] = [];
  const fallback = user.teamId !== null ? "team" : isManager(user) ? "all" : "mine";
  const view = views.some((option) => option.value === query.view) ? query.view! : fallback;
  const filter: WorkQueueFilter = {};
  if (view === "mine") filter.assigneeId = user.id;
  else if (view === "team") filter.teamId = user.teamId ?? undefined;
  else if (view.startsWith("team-")) filter.teamId = Number(view.slice(5));
  const state = requestStates.find((candidate) => candidate === query.state && isOpen(candidate));
  if (state) filter.state = state;
  const regime = requestRegimes.find((candidate) => candidate === query.regime);
  if (regime) filter.regime = regime;
  const due = query.due?.trim();
  if (due) {
    if (/^\d{1,3}$/.test(due) && Number(due) <= 260) filter.dueWithinWorkingDays = Number(due);
    else problems.push({ field: "due", message: "Enter a number of working days, like 5" });
  }
  if (query.overdue === "yes") filter.overdue = true;
  filter.page = positiveInteger(query.page) ?? 1;
  // The next and previous links carry where their page starts; a cursor that cannot be read falls back to the
  // page's number, as a page number that cannot be read falls back to the first.
  filter.after = parseCursor(query.after);
  filter.before = filter.after ? undefined : parseCursor(query.before);
  return { view, filter, problems };
}

/** A row's place in the queue in a link: its due date (or "none") and id, as `2025-03-04.1234`. */
function cursorText(cursor: QueueCursor): string {
  return `${cursor.dueDate ?? "none"}.${cursor.id}`;
}

function parseCursor(text: string | undefined): QueueCursor | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}|none)\.(\d{1,10})$/.exec(text?.trim() ?? "");
  if (!match) return undefined;
  const id = Number(match[2]);
  if (id > 2_147_483_647 || (match[1] !== "none" && Number.isNaN(tryParseIsoDate(match[1]!))))
    return undefined;
  return { dueDate: match[1] === "none" ? null : match[1]!, id };
}

function queueUrl(
  values: Record<string, string | undefined>,
  page: number,
  cursor?: { after: QueueCursor } | { before: QueueCursor },
): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) params.set(name, value);
  if (page > 1) params.set("page", String(page));
  if (cursor && page > 1)
    if ("after" in cursor) params.set("after", cursorText(cursor.after));
    else params.set("before", cursorText(cursor.before));
  const query = params.toString();
  return `/staff/requests${query ? `?${query}` : ""}`;
}

/**
 * The GOV.UK pagination component's items: first, last, and the pages around this one. Previous and next
 * start from this page's first and last rows (keyset), so paging on costs the same at any depth.
 */
function pagination(
  values: Record<string, string | undefined>,
  queue: { page: number; pages: number; next: QueueCursor | null; previous: QueueCursor | null },
) {
  const { page, pages } = queue;
  if (pages <= 1 && !queue.next && !queue.previous) return null;
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  const shown = [...new Set([1, page - 1, page, page + 1, pages])]
    .filter((number) => number >= 1 && number <= pages)
    .sort((a, b) => a - b);
  shown.forEach((number, i) => {
    if (i > 0 && number > shown[i - 1]! + 1) items.push({ ellipsis: true });
    items.push({ number, href: queueUrl(values, number), current: number === page });
  });
  return {
    items,
    previous: queue.previous ? { href: queueUrl(values, page - 1, { before: queue.previous }) } : undefined,
    next: queue.next ? { href: queueUrl(values, page + 1, { after: queue.next }) } : undefined,
  };
}

async function newRequestContext(request: FastifyRequest): Promise<Record<string, unknown>> {
  const user = currentUser(request);
  const [staff, teams] = await Promise.all([assignableStaff(request), teamsWithStaff(request.server.db)]);
  const today = todayParts(request.server.now());
  return {
    regimeChoices: requestRegimes.map((regime) => ({ value: regime, text: regimeLabels[regime] })),
    channelChoices: channels
      .filter((channel) => channel !== "api")
      .map((channel) => ({ value: channel, text: channelLabels[channel] })),
    requesterTypeChoices: Object.entries(requesterTypeLabels).map(([value, text]) => ({ value, text })),
    teamChoices: teams.map((team) => ({ value: String(team.id), text: team.name })),
    assigneeChoices: staff
      .filter((person) => can(user, "assign-request", { assigneeId: person.id }).allowed)
      .map((person) => ({
        value: String(person.id),
        text: person.id === user.id ? `Me (${person.name})` : person.name,
      })),
    values: {
      regime: "foia",
      channel: "email",
      "receivedDate-day": today.day,
      "receivedDate-month": today.month,
      "receivedDate-year": today.year,
      "requester.type": "public",
      teamId: user.teamId ? String(user.teamId) : "",
    },
  };
}

/** The action's input from its form: the fields it takes, dates from three boxes, the fee in pounds. */
function actionFromForm(type: string, body: Record<string, unknown>) {
  const problems = new FormProblems();
  const input: Record<string, unknown> = { type };
  for (const name of [
    "note",
    "assigneeId",
    "teamId",
    "extension",
    "reason",
    "outcome",
    "grounds",
    "workingDays",
    "reviewOutcome",
    "result",
    "regulatorReference",
    "regime",
    "notice",
    "steps",
    "appellant",
    "tribunalReference",
    "tribunalResult",
  ]) {
    const value = fieldText(body, name);
    if (value !== undefined) input[name] = value;
  }
  const date = problems.date(body, "date");
  if (date !== undefined) input.date = date;
  const complianceDate = problems.date(body, "complianceDate");
  if (complianceDate !== undefined) input.complianceDate = complianceDate;
  const fee = problems.pence(body, "amountPence");
  if (fee !== undefined) input.amountPence = fee;
  problems.throwIfAny(actionSchema, input);
  return input;
}

export const requestRoutes: RoutePlugin = async (app) => {
  app.get("/requests", { schema: { querystring: queueQuery } }, async (request, reply) => {
    const user = currentUser(request);
    // Only a manager picks another team's queue: nobody else's page needs the list of staff.
    const teams = isManager(user) ? await teamsWithStaff(app.db) : [];
    const views = queueViews(user, teams);
    const { view, filter, problems } = queueFilter(user, request.query, views);
    const queue = await workQueue(app.db, filter, app.now(), actorFor(user));
    const values = {
      view,
      state: filter.state,
      regime: filter.regime,
      due: request.query.due?.trim() || undefined,
      overdue: filter.overdue ? "yes" : undefined,
    };
    return reply.code(problems.length ? 422 : 200).render("staff/requests/queue.njk", {
      queue,
      rows: queue.rows.map((row) => ({
        ...row,
        href: requestPath(row.id),
        regimeLabel: regimeLabels[row.regime] ?? row.regime,
        stateTag: stateTag(row.state),
        dueTag: dueDateTag({
          dueDate: row.due_date,
          workingDaysLeft: row.daysLeft,
          clockStopped: row.clock_stopped,
          unit: row.unit,
        }),
      })),
      values,
      views,
      stateChoices: requestStates
        .filter((state) => isOpen(state))
        .map((state) => ({ value: state, text: stateLabels[state] })),
      regimeChoices: requestRegimes.map((regime) => ({ value: regime, text: regimeLabels[regime] })),
      pagination: pagination(values, queue),
      countLinks: {
        overdue: queueUrl({ view, overdue: "yes" }, 1),
        dueSoon: queueUrl({ view, due: String(DUE_SOON_WORKING_DAYS) }, 1),
        open: queueUrl({ view }, 1),
      },
      dueSoonWorkingDays: DUE_SOON_WORKING_DAYS,
      filtered: Boolean(values.state || values.regime || values.due || values.overdue),
      ...errorSummary(problems),
    });
  });

  app.get("/requests/new", async (request, reply) =>
    reply.render("staff/requests/new.njk", await newRequestContext(request)),
  );

  app.post(
    "/requests/new",
    {
      schema: { body: formBody },
      config: { form: { template: "staff/requests/new.njk", context: newRequestContext } },
    },
    async (request, reply) => {
      const body = request.body;
      const problems = new FormProblems();
      const input = {
        regime: fieldText(body, "regime"),
        channel: fieldText(body, "channel"),
        receivedDate: problems.date(body, "receivedDate"),
        body: fieldText(body, "body") ?? "",
        topic: fieldText(body, "topic"),
        requester: {
          name: fieldText(body, "requester.name") ?? "",
          email: fieldText(body, "requester.email"),
          address: fieldText(body, "requester.address"),
          organisation: fieldText(body, "requester.organisation"),
          type: fieldText(body, "requester.type"),
        },
        teamId: fieldText(body, "teamId"),
        assigneeId: fieldText(body, "assigneeId"),
      };
      problems.throwIfAny(newRequestSchema, input);
      // As the API logs one: a tracking link, and acknowledged by email at once when there is an address.
      const created = await submitRequest(
        intakeDeps(app, request.log),
        parseInput(newRequestSchema, input),
        actorFor(currentUser(request)),
        app.now(),
      );
      return reply.redirect(`${requestPath(created.id)}?logged=1`, 303);
    },
  );

  // A reference typed into the queue's search box, or a link from a letter or an email.
  app.get(
    "/requests/by-reference",
    { schema: { querystring: z.object({ reference: z.string().optional() }) } },
    async (request, reply) => {
      const reference = request.query.reference?.trim() ?? "";
      if (!reference) return reply.redirect("/staff/requests", 303);
      return reply.redirect(`/staff/requests/by-reference/${encodeURIComponent(reference)}`, 303);
    },
  );

  app.get(
    "/requests/by-reference/:reference",
    { schema: { params: z.object({ reference: z.string().min(1).max(100) }) } },
    async (request, reply) => {
      const user = currentUser(request);
      const reference = request.params.reference.trim();
      try {
        const detail = await requestDetail(app.db, { reference }, actorFor(user), app.now());
        return reply.redirect(requestPath(detail.request.id), 303);
      } catch (error) {
        if (!(error instanceof DomainError && error.code === "not-found")) throw error;
        return reply.code(404).render("errors/problem.njk", {
          layout: "staff/layout.njk",
          title: "No request has that reference",
          message: `No request has the reference ${reference}. Check it and try again.`,
        });
      }
    },
  );

  app.get(
    "/requests/:id",
    {
      schema: {
        params: idParams,
        querystring: z.object({
          done: z.string().optional(),
          logged: z.string().optional(),
          uploaded: z.string().optional(),
        }),
      },
    },
    async (request, reply) => {
      const page = await requestPageContext(request);
      const done = transitions.find((transition) => transition.action === request.query.done);
      return reply.render("staff/requests/show.njk", {
        ...page,
        done: done?.label,
        logged: request.query.logged === "1",
        uploaded: request.query.uploaded === "1",
      });
    },
  );

  app.get("/requests/:id/actions/:type", { schema: { params: actionParams } }, async (request, reply) => {
    const page = await actionPageContext(request);
    const allowed = (page.action as { allowed: boolean }).allowed;
    return reply.code(allowed ? 200 : 409).render("staff/requests/action.njk", page);
  });

  app.post(
    "/requests/:id/actions/:type",
    {
      schema: {
        params: actionParams,
        body: formBody.and(z.object({ version: z.string({ error: "Reload the request and try again" }) })),
      },
      config: { form: { template: "staff/requests/action.njk", context: actionPageContext } },
    },
    async (request, reply) => {
      const { id, type } = request.params;
      const version = Number(request.body.version);
      if (!Number.isInteger(version))
        throw new DomainError("invalid", "Reload the request and try again", "version");
      const input = actionFromForm(type, request.body);
      await takeAction(acknowledgeDeps(app), id, input, version, actorFor(currentUser(request)), app.now());
      return reply.redirect(`${requestPath(id)}?done=${type}`, 303);
    },
  );
};

export type { RequestState };
export { actionPath };
