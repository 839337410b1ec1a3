import { outcomeLabels, requesterHistory } from "../../../requests/index.ts";
import { actorFor, currentUser } from "../../auth.ts";
import { idParams } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";
import { requestPath } from "./paths.ts";
import { regimeLabels, requesterTypeLabels, stateTag } from "./requests-present.ts";

// A requester's page: who they are, every request of theirs, and the warnings between those requests
// (FOIA s.14(2) repeated requests; s.12 aggregation within 60 working days).

export const requesterRoutes: RoutePlugin = async (app) => {
  app.get("/requesters/:id", { schema: { params: idParams } }, async (request, reply) => {
    const history = await requesterHistory(app.db, request.params.id, actorFor(currentUser(request)));
    const { requester } = history;
    return reply.render("staff/requesters/show.njk", {
      requester: {
        ...requester,
        typeLabel: requesterTypeLabels[requester.type as keyof typeof requesterTypeLabels] ?? requester.type,
      },
      requests: history.requests.map((row) => ({
        ...row,
        href: requestPath(row.id),
        regimeLabel: regimeLabels[row.regime] ?? row.regime,
        stateTag: stateTag(row.state),
        outcomeLabel: row.outcome
          ? (outcomeLabels[row.outcome as keyof typeof outcomeLabels] ?? row.outcome)
          : "",
        summary: row.body.length > 140 ? `${row.body.slice(0, 140)}…` : row.body,
      })),
      warnings: history.warnings,
    });
  });
};
