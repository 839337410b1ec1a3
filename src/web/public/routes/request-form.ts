import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { publicActor, requestDetail, submitRequest } from "../../../requests/index.ts";
import { intakeDeps } from "../../inbound.ts";
import type { RoutePlugin } from "../../types.ts";
import { lawFor, type RequestRoute, regimeFor, requestRoutes } from "../authority.ts";
import { authorityOf } from "../chrome.ts";
import {
  claimForSending,
  type Draft,
  draftCookie,
  draftCookiePath,
  markSent,
  readDraft,
  releaseClaim,
  saveAnswers,
} from "../drafts.ts";
import {
  answersFrom,
  completeAnswers,
  kindForm,
  nextPath,
  pageForms,
  pagesFor,
  preferNotToSay,
  preferredFormatChoices,
  preferredFormats,
  previousPath,
  type QuestionPage,
  requesterTypeChoices,
} from "../questions.ts";

// Making a request without JavaScript: each question is a page that posts its answers to the draft and
// moves on; the check page shows them all and sends the request. Handlers parse, call one function, render.

const changeQuery = z.object({ change: z.string().optional() });

function changing(request: FastifyRequest): boolean {
  return (request.query as { change?: string } | undefined)?.change === "1";
}

function routeInfo(request: FastifyRequest, route: RequestRoute) {
  const authority = authorityOf(request);
  return { key: route, law: lawFor(route, authority), authority };
}

function questionContext(route: RequestRoute, page: QuestionPage) {
  return (request: FastifyRequest) => {
    const change = changing(request);
    return {
      route: routeInfo(request, route),
      page,
      action: `/request/${route}/${page}${change ? "?change=1" : ""}`,
      backHref: change ? `/request/${route}/check` : previousPath(route, page),
      formatChoices: preferredFormats.map((value) => ({ value, ...preferredFormatChoices[value] })),
      requesterTypeChoices,
      preferNotToSay,
    };
  };
}

function setDraftCookie(request: FastifyRequest, reply: FastifyReply, id: string): void {
  // Essential: the form cannot work without it. Gone when the browser closes; the draft itself after a day.
  reply.setCookie(draftCookie, id, {
    path: draftCookiePath,
    httpOnly: true,
    sameSite: "lax",
    secure: request.server.config.behindTls,
  });
}

async function currentDraft(request: FastifyRequest): Promise<Draft | null> {
  return readDraft(request.server.db, request.cookies[draftCookie], request.server.now());
}

/** What the person has answered so far in a draft not yet sent. */
async function answersSoFar(request: FastifyRequest): Promise<Record<string, string>> {
  const draft = await currentDraft(request);
  return draft && draft.requestId === null ? draft.answers : {};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const requestFormRoutes: RoutePlugin = async (app) => {
  // What do you want to ask for? (the route: FOI/FOISA, EIR or subject access)
  app.get("/request", async (request, reply) => {
    const draft = await currentDraft(request);
    const kind = draft && draft.requestId === null ? (draft.route ?? "") : "";
    return reply.render("public/request/kind.njk", {
      values: { kind },
      authority: authorityOf(request),
      foiLaw: lawFor("foi", authorityOf(request)),
    });
  });

  app.post(
    "/request",
    {
      schema: { body: kindForm },
      config: {
        form: {
          template: "public/request/kind.njk",
          context: (request) => ({
            authority: authorityOf(request),
            foiLaw: lawFor("foi", authorityOf(request)),
          }),
        },
      },
    },
    async (request, reply) => {
      const route = request.body.kind;
      const saved = await saveAnswers(app.db, request.cookies[draftCookie], route, {}, app.now());
      if (saved.created) setDraftCookie(request, reply, saved.id);
      return reply.redirect(`/request/${route}/${pagesFor[route][0]}`, 303);
    },
  );

  for (const route of requestRoutes) {
    for (const page of pagesFor[route]) {
      const template = `public/request/${page}.njk`;
      const context = questionContext(route, page);
      app.get(`/request/${route}/${page}`, { schema: { querystring: changeQuery } }, async (request, reply) =>
        reply.render(template, { ...context(request), values: await answersSoFar(request) }),
      );
      app.post(
        `/request/${route}/${page}`,
        {
          schema: { body: pageForms[page], querystring: changeQuery },
          config: { form: { template, context } },
        },
        async (request, reply) => {
          const answers = answersFrom(page, request.body as Record<string, unknown>);
          const saved = await saveAnswers(app.db, request.cookies[draftCookie], route, answers, app.now());
          if (saved.created) setDraftCookie(request, reply, saved.id);
          return reply.redirect(changing(request) ? `/request/${route}/check` : nextPath(route, page), 303);
        },
      );
    }

    const checkTemplate = "public/request/check.njk";
    const checkContext = async (request: FastifyRequest) => {
      const draft = await currentDraft(request);
      const answers = draft && draft.requestId === null ? draft.answers : {};
      return {
        route: routeInfo(request, route),
        answers,
        pages: pagesFor[route],
        backHref: previousPath(route, "check"),
        formatChoices: preferredFormatChoices,
        requesterTypeChoices,
        preferNotToSay,
      };
    };

    app.get(`/request/${route}/check`, async (request, reply) => {
      const draft = await currentDraft(request);
      if (!draft || draft.requestId !== null) return reply.redirect("/request", 303);
      const complete = completeAnswers(route, draft.answers);
      if (!complete.ok) return reply.redirect(`/request/${route}/${complete.missing}`, 303);
      return reply.render(checkTemplate, await checkContext(request));
    });

    app.post(
      `/request/${route}/check`,
      { config: { form: { template: checkTemplate, context: checkContext } } },
      async (request, reply) => {
        const now = app.now();
        const draft = await currentDraft(request);
        if (!draft) return reply.redirect("/request", 303);
        if (draft.requestId !== null) return reply.redirect("/request/sent", 303);
        const complete = completeAnswers(route, draft.answers);
        if (!complete.ok) return reply.redirect(`/request/${route}/${complete.missing}`, 303);
        if (!(await claimForSending(app.db, draft, now))) {
          // Sent twice (a double click, a second tab): wait for the first to finish, then show its confirmation.
          for (let waited = 0; waited < 10_000; waited += 250) {
            if ((await currentDraft(request))?.requestId) break;
            await sleep(250);
          }
          return reply.redirect("/request/sent", 303);
        }
        const { answers } = complete;
        let submitted: Awaited<ReturnType<typeof submitRequest>>;
        try {
          submitted = await submitRequest(
            intakeDeps(app, request.log),
            {
              regime: regimeFor(route, authorityOf(request)),
              channel: "web",
              requester: {
                name: answers.name,
                ...(answers.email ? { email: answers.email } : {}),
                ...(answers.address ? { address: answers.address } : {}),
                ...(answers.organisation ? { organisation: answers.organisation } : {}),
                // Left unanswered on the about-you page: not given, rather than counted as the public.
                ...(answers.requesterType
                  ? { type: answers.requesterType }
                  : route === "sar"
                    ? {}
                    : { type: "not-given" as const }),
              },
              body: answers.description,
              preferredFormat: answers.preferredFormat,
            },
            publicActor,
            now,
          );
        } catch (error) {
          await releaseClaim(app.db, draft).catch(() => {});
          throw error;
        }
        // Someone who gave only a postal address gets no email: the confirmation page shows them their link.
        await markSent(app.db, draft, submitted.id, answers.email ? null : submitted.trackingToken, now);
        return reply.redirect("/request/sent", 303);
      },
    );
  }

  app.get("/request/sent", async (request, reply) => {
    const draft = await currentDraft(request);
    if (!draft?.requestId) return reply.redirect("/request", 303);
    const detail = await requestDetail(app.db, { id: draft.requestId }, publicActor, app.now());
    return reply.render("public/request/sent.njk", {
      reference: detail.request.reference,
      dueDate: detail.request.due_date,
      regime: detail.request.regime,
      emailed: Boolean(detail.request.requester_email),
      trackingUrl: draft.trackingToken ? `${app.config.baseUrl}/track/${draft.trackingToken}` : null,
    });
  });
};
