import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { invalid } from "../../../errors.ts";
import {
  dueForAnonymisation,
  eraseRequester,
  exportRequester,
  findRequester,
  legalHolds,
  liftLegalHold,
  placeLegalHoldByReference,
  recordTypes,
  rectifyRequester,
  retentionSchedule,
  setRetentionPeriod,
} from "../../../retention/index.ts";
import { actorFor, requireAbility } from "../../auth.ts";
import type { RoutePlugin } from "../../types.ts";
import { type FormBody, fieldText, formBody } from "./requests-forms.ts";

// Keeping data (README): the retention schedule a manager sets, what is due for anonymisation and what a
// legal hold keeps (the same list `foidesk retention due` prints); placing and lifting holds; and one
// requester's data: exported as a zip, erased or corrected. Each change is recorded on the requests' history.

const notices: Record<string, string> = {
  saved: "Retention schedule saved",
  held: "Legal hold placed",
  lifted: "Legal hold lifted",
  erased: "The requester's personal data was erased",
  rectified: "The requester's details were corrected",
};

/** The requester a form names by email: an unknown address is the field's error, not a missing page. */
async function requesterByEmail(request: FastifyRequest, field: string) {
  const email = fieldText(request.body as FormBody, field) ?? "";
  if (!email) throw invalid(field, "Enter the requester's email address");
  return findRequester(request.server.db, { email }).catch((error: unknown) => {
    throw (error as { code?: string }).code === "not-found"
      ? invalid(field, (error as Error).message)
      : error;
  });
}

async function retentionContext(request: FastifyRequest): Promise<Record<string, unknown>> {
  const [schedule, due, holds] = await Promise.all([
    retentionSchedule(request.server.db),
    dueForAnonymisation(request.server.db, request.server.now()),
    legalHolds(request.server.db),
  ]);
  return {
    schedule,
    due,
    holds,
    values: {},
  };
}

export const retentionRoutes: RoutePlugin = async (app) => {
  const managers = requireAbility("manage-retention");
  const form = { template: "staff/retention/index.njk", context: retentionContext };

  app.get(
    "/retention",
    { onRequest: managers, schema: { querystring: z.object({ done: z.string().optional() }) } },
    async (request, reply) =>
      reply.render(form.template, {
        ...(await retentionContext(request)),
        notice:
          request.query.done && Object.hasOwn(notices, request.query.done)
            ? notices[request.query.done]
            : undefined,
      }),
  );

  app.post(
    "/retention/schedule",
    { onRequest: managers, schema: { body: formBody }, config: { form } },
    async (request, reply) => {
      const actor = actorFor(request.user!);
      for (const recordType of recordTypes) {
        const months = fieldText(request.body, `months-${recordType}`);
        if (months === undefined) continue;
        await setRetentionPeriod(app.db, recordType, months, actor, app.now()).catch((error: unknown) => {
          // The field as the form names it, so the error summary links to it.
          throw (error as { code?: string }).code === "invalid"
            ? invalid(`months-${recordType}`, (error as Error).message)
            : error;
        });
      }
      return reply.redirect("/staff/retention?done=saved", 303);
    },
  );

  app.post(
    "/retention/holds",
    { onRequest: managers, schema: { body: formBody }, config: { form } },
    async (request, reply) => {
      await placeLegalHoldByReference(
        app.db,
        fieldText(request.body, "reference"),
        fieldText(request.body, "reason") ?? "",
        actorFor(request.user!),
        app.now(),
      );
      return reply.redirect("/staff/retention?done=held", 303);
    },
  );

  app.post(
    "/retention/holds/lift",
    { onRequest: managers, schema: { body: formBody }, config: { form } },
    async (request, reply) => {
      const holdId = Number(fieldText(request.body, "holdId"));
      if (!Number.isInteger(holdId) || holdId <= 0) throw invalid("holdId", "Choose the hold to lift");
      await liftLegalHold(
        app.db,
        holdId,
        actorFor(request.user!),
        app.now(),
        fieldText(request.body, "liftReason") ?? "",
      ).catch((error: unknown) => {
        throw (error as { field?: string }).field === "reason"
          ? invalid("liftReason", (error as Error).message)
          : error;
      });
      return reply.redirect("/staff/retention?done=lifted", 303);
    },
  );

  app.post(
    "/retention/erase",
    { onRequest: managers, schema: { body: formBody }, config: { form } },
    async (request, reply) => {
      const person = await requesterByEmail(request, "eraseEmail");
      if (fieldText(request.body, "confirm") !== "yes")
        throw invalid("confirm", "Confirm that the requester's personal data is to be erased");
      await eraseRequester(app.db, app.files, person.id, actorFor(request.user!), app.now(), app.mailer);
      return reply.redirect("/staff/retention?done=erased", 303);
    },
  );

  app.post(
    "/retention/rectify",
    { onRequest: managers, schema: { body: formBody }, config: { form } },
    async (request, reply) => {
      const person = await requesterByEmail(request, "rectifyEmail");
      // Only what was filled in is corrected.
      const corrected = Object.fromEntries(
        ["name", "email", "address", "organisation"]
          .map((field) => [field, fieldText(request.body, field)?.trim()] as const)
          .filter(([, value]) => value),
      );
      await rectifyRequester(app.db, person.id, corrected, actorFor(request.user!), app.now());
      return reply.redirect("/staff/retention?done=rectified", 303);
    },
  );

  app.get(
    "/retention/export",
    {
      onRequest: managers,
      schema: { querystring: z.object({ email: z.string().trim().max(320).default("") }) },
    },
    async (request, reply) => {
      if (!request.query.email) throw invalid("email", "Enter the requester's email address");
      const person = await findRequester(app.db, { email: request.query.email });
      const { zip } = await exportRequester(app.db, app.files, person.id, app.now(), app.mailer);
      return reply
        .header("content-type", "application/zip")
        .header("content-disposition", `attachment; filename="requester-${person.id}.zip"`)
        .header("cache-control", "no-store")
        .send(Buffer.from(zip));
    },
  );
};
