import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { invalid } from "../../../errors.ts";
import {
  dueForAnonymisation,
  exportRequester,
  findRequester,
  legalHolds,
  recordTypes,
  retentionSchedule,
  setRetentionPeriod,
} from "../../../retention/index.ts";
import { actorFor, requireRole } from "../../auth.ts";
import type { RoutePlugin } from "../../types.ts";
import { fieldText, formBody } from "./requests-forms.ts";

// Keeping data (README): the retention schedule a manager sets, what is due for anonymisation and what a
// legal hold keeps (the same list `foidesk retention due` prints), and one requester's data as a zip.

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
    values: Object.fromEntries(schedule.map((entry) => [`months-${entry.recordType}`, entry.months ?? ""])),
  };
}

export const retentionRoutes: RoutePlugin = async (app) => {
  const managers = requireRole("manager", "admin");
  const form = { template: "staff/retention/index.njk", context: retentionContext };

  app.get(
    "/retention",
    { onRequest: managers, schema: { querystring: z.object({ done: z.string().optional() }) } },
    async (request, reply) =>
      reply.render(form.template, {
        ...(await retentionContext(request)),
        notice: request.query.done === "saved" ? "Retention schedule saved" : undefined,
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

  app.get(
    "/retention/export",
    {
      onRequest: managers,
      schema: { querystring: z.object({ email: z.string().trim().max(320).default("") }) },
    },
    async (request, reply) => {
      if (!request.query.email) throw invalid("email", "Enter the requester's email address");
      const person = await findRequester(app.db, { email: request.query.email });
      const { zip } = await exportRequester(app.db, app.files, person.id, app.now());
      return reply
        .header("content-type", "application/zip")
        .header("content-disposition", `attachment; filename="requester-${person.id}.zip"`)
        .header("cache-control", "no-store")
        .send(Buffer.from(zip));
    },
  );
};
