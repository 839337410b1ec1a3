import { z } from "zod";
import { requesterHistory, stateLabels } from "../../../requests/index.ts";
import { actorFor, currentUser } from "../../auth.ts";
import { recordId } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";
import { errorsSchema } from "./requests.ts";

// A requester and their history, with the FOIA s.14(2) repeat and s.12 aggregation warnings between requests.

const requesterSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    email: z.string().nullable(),
    address: z.string().nullable(),
    organisation: z.string().nullable(),
    type: z.string(),
    requests: z.array(
      z.object({
        id: z.number().int(),
        reference: z.string(),
        regime: z.string(),
        state: z.string(),
        stateLabel: z.string(),
        outcome: z.string().nullable(),
        receivedDate: z.string(),
        dueDate: z.string().nullable(),
      }),
    ),
    warnings: z
      .array(
        z.object({
          about: z.string().describe("The request the warning is about"),
          reference: z.string().describe("The earlier or nearby request it resembles"),
          kind: z.enum(["repeated", "aggregation"]),
          similarity: z.number(),
          message: z.string(),
        }),
      )
      .describe("Repeated requests (FOIA s.14(2)) and requests within 60 working days (s.12 aggregation)"),
  })
  .describe("A requester, every request of theirs (newest first), and the warnings between them");

export const requesterApiRoutes: RoutePlugin = async (app) => {
  app.get(
    "/requesters/:id",
    {
      schema: {
        summary: "A requester and their requests",
        tags: ["casework"],
        params: z.object({ id: recordId }),
        response: { 200: requesterSchema, 404: errorsSchema.describe("There is no such requester") },
      },
    },
    async (request) => {
      const { requester, requests, warnings } = await requesterHistory(
        app.db,
        request.params.id,
        actorFor(currentUser(request)),
      );
      return {
        id: requester.id,
        name: requester.name,
        email: requester.email,
        address: requester.address,
        organisation: requester.organisation,
        type: requester.type,
        requests: requests.map((row) => ({
          id: row.id,
          reference: row.reference,
          regime: row.regime,
          state: row.state,
          stateLabel: stateLabels[row.state] ?? row.state,
          outcome: row.outcome,
          receivedDate: row.received_date,
          dueDate: row.due_date,
        })),
        warnings,
      };
    },
  );
};
