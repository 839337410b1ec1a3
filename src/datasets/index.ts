// Datasets: statistical datasets kept in the database (aggregated to their finest cells), their release
// policies (versioned), and every table released from them, each audited with the earlier releases of its
// dataset (differencing) before it is recorded; a table or a refusal by policy linked to a request's reply.
// The disclosure control itself is the statistics module's (pure); this module does its I/O (DESIGN.md).
export { type ReadOptions, readCsvDataset } from "./csv-file.ts";
export { demoDatasetLabels, seedDemoStatistics } from "./demo.ts";
export {
  commandLineImporter,
  type DatasetImport,
  type ImportedDataset,
  importCsvDataset,
  storeDataset,
} from "./import.ts";
export { type PolicyInput, savePolicy } from "./policy.ts";
export {
  publishedStatistic,
  publishedStatisticFile,
  publishedStatisticNotes,
  publishedStatistics,
  statisticsPath,
} from "./public-pages.ts";
export { type Released, releaseTable } from "./releases.ts";
export { addRefusalToReply, addReleaseToReply, requestChoices } from "./reply-edits.ts";
export { datasetList, datasetPage, releasePage } from "./staff-pages.ts";
export { columnLabel } from "./stored-dataset.ts";
export type { DatasetColumns, DimensionColumn } from "./stored-json.ts";
export { buildTableView, type TableRequest, type TableView } from "./tables.ts";
