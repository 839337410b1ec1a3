import type { FastifyRequest } from "fastify";
import { z } from "zod";
import {
  addRefusalToReply,
  addReleaseToReply,
  buildTableView,
  datasetList,
  datasetPage,
  importCsvDataset,
  releasePage,
  releaseTable,
  requestChoices,
  savePolicy,
  type TableRequest,
  type TableView,
} from "../../../datasets/index.ts";
import { invalid, isDomainError } from "../../../errors.ts";
import { can } from "../../../users/index.ts";
import { actorFor, currentUser, requireAbility } from "../../auth.ts";
import { idParams } from "../../schemas.ts";
import type { FormPage, RoutePlugin } from "../../types.ts";
import { type FormBody, fieldText, formBody, isUploadedFile } from "./requests-forms.ts";
import {
  fieldList,
  policyFormValues,
  policyInput,
  restrictedRows,
  tableRequest,
} from "./statistics-forms.ts";

// Statistics in the back office (issue 7): datasets, their release policies, and tables built from them —
// refused by the policy (its exemptions and reason text, ready for the refusal notice, and put into the
// request's reply on request) or protected, checked against every earlier release of the dataset, and
// released (recorded with its CSV and workbook, published at /statistics/{id}, and linked from the reply as
// advice and assistance). Case officers and managers build and release tables; managers import datasets
// and set release policies. Views in views/staff/statistics/.

const notices: Record<string, string> = {
  imported: "Dataset imported. Check its release policy before releasing tables from it.",
  policy: "Release policy saved",
  added: "The table is in the reply as advice and assistance",
};

function baseUrl(request: FastifyRequest): string {
  return request.server.config.baseUrl;
}

/** What the request sent: the query of a GET, the form of a POST. */
function sent(request: FastifyRequest): FormBody {
  const source = request.method === "GET" ? request.query : request.body;
  return typeof source === "object" && source !== null ? (source as FormBody) : {};
}

/** The dataset page, with the build form as it was filled in (dimensions ticked, request chosen). */
async function datasetContext(request: FastifyRequest) {
  const { id } = request.params as { id: number };
  const dataset = await datasetPage(request.server.db, id);
  const source = sent(request);
  return {
    dataset,
    canEditPolicy: can(currentUser(request), "edit-release-policy").allowed,
    requestChoices: await requestChoices(request.server.db),
    build: { dimensions: fieldList(source, "dimensions"), request: fieldText(source, "request") ?? "" },
  };
}

/**
 * A table built from the dataset: refused by the policy, or protected. `strict`: a request that is not
 * among the choices or no dimension at all is an error; otherwise (a form shown again with its errors) the
 * page is shown without the table.
 */
async function tableContext(request: FastifyRequest, strict = false) {
  const context = await datasetContext(request);
  let choice: TableRequest | null = null;
  let view: TableView | null = null;
  try {
    choice = tableRequest(sent(request));
    if (choice.requestId !== undefined && !context.requestChoices.some((q) => q.id === choice?.requestId))
      throw invalid("request", "Choose a request whose reply is still being drafted");
    view = await buildTableView(request.server.db, context.dataset.id, choice);
  } catch (error) {
    if (strict || !isDomainError(error)) throw error;
  }
  return {
    ...context,
    chosenRequest: context.requestChoices.find((candidate) => candidate.id === choice?.requestId) ?? null,
    title: choice?.title ?? "",
    view,
  };
}

/** A release or refusal that fails shows the table page again, the table built as far as the form allows. */
const tableForm: FormPage = {
  template: "staff/statistics/table.njk",
  context: (request) => tableContext(request),
};

async function policyContext(request: FastifyRequest) {
  const context = await datasetContext(request);
  const posted = request.method === "POST";
  const rows = posted
    ? Number(fieldText(request.body as FormBody, "restrictedRows") ?? 1)
    : restrictedRows(context.dataset.policy.value.restricted.length);
  return {
    ...context,
    rows: Array.from({ length: rows }, (_, index) => index),
    ...(posted ? {} : { values: policyFormValues(context.dataset.policy.value) }),
  };
}

async function releaseContext(request: FastifyRequest) {
  const { id } = request.params as { id: number };
  return { release: await releasePage(request.server.db, id, baseUrl(request)) };
}

export const statisticsRoutes: RoutePlugin = async (app) => {
  const releasers = requireAbility("release-statistics");
  const importers = requireAbility("import-dataset");
  const policyEditors = requireAbility("edit-release-policy");

  app.get("/statistics", { onRequest: releasers }, async (request, reply) =>
    reply.render("staff/statistics/index.njk", {
      datasets: await datasetList(app.db),
      canImport: can(currentUser(request), "import-dataset").allowed,
    }),
  );

  app.get("/statistics/import", { onRequest: importers }, async (_request, reply) =>
    reply.render("staff/statistics/import.njk", { values: {} }),
  );

  app.post(
    "/statistics/import",
    {
      onRequest: importers,
      schema: { body: formBody },
      config: { form: { template: "staff/statistics/import.njk" } },
    },
    async (request, reply) => {
      const body = request.body;
      const file = isUploadedFile(body.file) && body.file.content.sizeBytes > 0 ? body.file : undefined;
      const { id } = await importCsvDataset(
        app.db,
        {
          name: fieldText(body, "name"),
          title: fieldText(body, "title"),
          description: fieldText(body, "description"),
          file: file ? { filename: file.filename, content: file.content } : undefined,
          dimensions: fieldText(body, "dimensions"),
          frequency: fieldText(body, "frequency"),
          measure: fieldText(body, "measure"),
          hierarchies: fieldText(body, "hierarchies"),
        },
        actorFor(currentUser(request)),
        app.now(),
      );
      return reply.redirect(`/staff/statistics/${id}?done=imported`, 303);
    },
  );

  app.get(
    "/statistics/:id",
    {
      onRequest: releasers,
      schema: { params: idParams, querystring: formBody },
    },
    async (request, reply) =>
      reply.render("staff/statistics/dataset.njk", {
        ...(await datasetContext(request)),
        notice: notices[fieldText(request.query, "done") ?? ""],
      }),
  );

  app.get(
    "/statistics/:id/policy",
    { onRequest: policyEditors, schema: { params: idParams } },
    async (request, reply) => reply.render("staff/statistics/policy.njk", await policyContext(request)),
  );

  app.post(
    "/statistics/:id/policy",
    {
      onRequest: policyEditors,
      schema: { params: idParams, body: formBody },
      config: { form: { template: "staff/statistics/policy.njk", context: policyContext } },
    },
    async (request, reply) => {
      const { id } = request.params;
      const dataset = await datasetPage(app.db, id);
      await savePolicy(
        app.db,
        id,
        policyInput(request.body, dataset.measure),
        actorFor(currentUser(request)),
        app.now(),
      );
      return reply.redirect(`/staff/statistics/${id}?done=policy#policy`, 303);
    },
  );

  // Building a table changes nothing, so it is a GET: the page can be reloaded, bookmarked and shared.
  app.get(
    "/statistics/:id/table",
    {
      onRequest: releasers,
      schema: { params: idParams, querystring: formBody },
      config: { form: { template: "staff/statistics/dataset.njk", context: datasetContext } },
    },
    async (request, reply) => reply.render("staff/statistics/table.njk", await tableContext(request, true)),
  );

  app.post(
    "/statistics/:id/releases",
    {
      onRequest: releasers,
      schema: { params: idParams, body: formBody },
      config: { form: tableForm },
    },
    async (request, reply) => {
      const released = await releaseTable(
        app.db,
        request.params.id,
        tableRequest(request.body),
        actorFor(currentUser(request)),
        app.now(),
        { baseUrl: baseUrl(request) },
      );
      const done = released.reply?.added ? "?done=added" : "";
      return reply.redirect(`/staff/statistics/releases/${released.releaseId}${done}`, 303);
    },
  );

  app.post(
    "/statistics/:id/refusals",
    {
      onRequest: releasers,
      schema: { params: idParams, body: formBody },
      config: { form: tableForm },
    },
    async (request, reply) => {
      const choice = tableRequest(request.body);
      if (choice.requestId === undefined)
        throw invalid("request", "Choose the request whose reply this refuses");
      const requestId = await addRefusalToReply(
        app.db,
        request.params.id,
        { ...choice, requestId: choice.requestId },
        actorFor(currentUser(request)),
        app.now(),
      );
      return reply.redirect(`/staff/requests/${requestId}/reply`, 303);
    },
  );

  app.get(
    "/statistics/releases/:id",
    {
      onRequest: releasers,
      schema: { params: idParams, querystring: z.object({ done: z.string().optional() }) },
    },
    async (request, reply) =>
      reply.render("staff/statistics/release.njk", {
        ...(await releaseContext(request)),
        notice: notices[request.query.done ?? ""],
      }),
  );

  app.post(
    "/statistics/releases/:id/reply",
    {
      onRequest: releasers,
      schema: { params: idParams, body: formBody },
      config: { form: { template: "staff/statistics/release.njk", context: releaseContext } },
    },
    async (request, reply) => {
      const { id } = request.params;
      await addReleaseToReply(app.db, id, actorFor(currentUser(request)), app.now(), {
        baseUrl: baseUrl(request),
      });
      return reply.redirect(`/staff/statistics/releases/${id}?done=added`, 303);
    },
  );
};
