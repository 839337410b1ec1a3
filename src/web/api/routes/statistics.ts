import { z } from "zod";
import { publishedStatistic, publishedStatistics, statisticsPath } from "../../../datasets/index.ts";
import { SUPPRESSED, SUPPRESSED_MEANING } from "../../../statistics/index.ts";
import { idParams } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";

// Released statistics as JSON: public, like the pages (no token). Only what was published is read — a withheld
// cell has no figure here, just the symbol and its meaning; nothing says who released a table or for which request.

const linksSchema = z.object({
  page: z.string().describe("The table's page"),
  csv: z.string().describe("The CSV as released"),
  xlsx: z.string().describe("The spreadsheet as released"),
});

const releaseSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  datasetTitle: z.string(),
  releasedAt: z.string().describe("When it was released (ISO 8601)"),
  links: linksSchema,
});

export const statisticsListSchema = z
  .object({ releases: z.array(releaseSchema) })
  .describe("Every released table, newest first");

const cellSchema = z.object({
  labels: z.array(z.string()).describe("One label per dimension, in the order of dimensions"),
  total: z.boolean().describe("Whether any label is a total or subtotal"),
  count: z.number().nullable().describe("The published count; null when withheld or for a magnitude table"),
  value: z
    .number()
    .nullable()
    .describe("The published sum of the measure; null when withheld or a count table"),
  symbol: z.string().nullable().describe(`"${SUPPRESSED}" when the figure is withheld, else null`),
  meaning: z.string().nullable().describe("What the symbol means, when there is one"),
});

export const statisticSchema = releaseSchema
  .extend({
    datasetDescription: z.string(),
    quantity: z.string().describe('The figure shown: "Count" or the measure'),
    rounded: z.boolean().describe("Whether the figures are rounded (see notes)"),
    withheld: z.boolean().describe("Whether any figure is withheld"),
    dimensions: z.array(
      z.object({
        name: z.string(),
        labels: z.array(z.string()).describe("In order, parts before their totals"),
      }),
    ),
    cells: z.array(cellSchema),
    notes: z.array(z.string()).describe("What the symbols and rounding mean"),
  })
  .describe("A released table: its dimensions and each cell's published figure or suppression symbol");

export const statisticsApiRoutes: RoutePlugin = async (app) => {
  const site = () => app.config.baseUrl.replace(/\/+$/, "");
  const links = (page: string) => ({
    page: `${site()}${page}`,
    csv: `${site()}${page}/table.csv`,
    xlsx: `${site()}${page}/table.xlsx`,
  });

  app.get(
    "/statistics",
    {
      schema: {
        summary: "List the released statistics (public: no token needed)",
        tags: ["statistics"],
        response: { 200: statisticsListSchema },
        security: [],
      },
    },
    async () => ({
      releases: (await publishedStatistics(app.db)).map((release) => ({
        id: release.id,
        title: release.title,
        datasetTitle: release.datasetTitle,
        releasedAt: new Date(release.releasedAt).toISOString(),
        links: links(release.path),
      })),
    }),
  );

  app.get(
    "/statistics/:id",
    {
      schema: {
        summary: "One released table, as published (public: no token needed)",
        tags: ["statistics"],
        params: idParams,
        response: { 200: statisticSchema },
        security: [],
      },
    },
    async (request) => {
      const table = await publishedStatistic(app.db, request.params.id);
      return {
        id: table.id,
        title: table.title,
        datasetTitle: table.datasetTitle,
        datasetDescription: table.datasetDescription,
        releasedAt: new Date(table.releasedAt).toISOString(),
        links: links(statisticsPath(table.id)),
        quantity: table.quantity,
        rounded: table.rounded,
        withheld: table.withheld,
        dimensions: table.dimensions.map((name, index) => ({ name, labels: table.labels[index] ?? [] })),
        // Built field by field from the published cell: a withheld cell's figures are null there already.
        cells: table.cells.map((cell) => ({
          labels: cell.labels,
          total: cell.margin,
          count: cell.withheld ? null : cell.freq,
          value: cell.withheld ? null : cell.value,
          symbol: cell.withheld ? SUPPRESSED : null,
          meaning: cell.withheld ? SUPPRESSED_MEANING : null,
        })),
        notes: table.notes,
      };
    },
  );
};
