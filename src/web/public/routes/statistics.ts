import {
  publishedStatistic,
  publishedStatisticFile,
  publishedStatisticNotes,
  publishedStatistics,
} from "../../../datasets/index.ts";
import { attachmentHeader } from "../../attachment.ts";
import { idParams } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";

// Published statistics (issue 7): every table released from a dataset, newest first, and each table's page —
// the accessible table with its notes on withheld figures, a chart, and the CSV and spreadsheet as released.
// Only what was published is read: never the withheld figures, nor who released the table.

export const statisticsRoutes: RoutePlugin = async (app) => {
  app.get("/statistics", async (_request, reply) =>
    reply.render("public/statistics/index.njk", { releases: await publishedStatistics(app.db) }),
  );

  app.get("/statistics/:id", { schema: { params: idParams } }, async (request, reply) =>
    reply.render("public/statistics/show.njk", {
      table: await publishedStatistic(app.db, request.params.id),
    }),
  );

  app.get("/statistics/:id/notes.csv", { schema: { params: idParams } }, async (request, reply) => {
    const file = await publishedStatisticNotes(app.db, request.params.id);
    return reply
      .type(`${file.mediaType}; charset=utf-8`)
      .header("content-disposition", attachmentHeader(file.filename))
      .send(Buffer.from(file.bytes));
  });

  for (const format of ["csv", "xlsx"] as const) {
    app.get(`/statistics/:id/table.${format}`, { schema: { params: idParams } }, async (request, reply) => {
      const file = await publishedStatisticFile(app.db, request.params.id, format);
      return reply
        .type(format === "csv" ? `${file.mediaType}; charset=utf-8` : file.mediaType)
        .header("content-disposition", attachmentHeader(file.filename))
        .send(Buffer.from(file.bytes));
    });
  }
};
