// Datasets: statistical datasets kept in the database (aggregated to their finest cells), their release
// policies (versioned), and every table released from them, each audited with the earlier releases of its
// dataset (differencing) before it is recorded; a table or a refusal by policy linked to a request's reply.
// The disclosure control itself is the statistics module's (pure); this module does its I/O (DESIGN.md).
export { type ReadOptions, readCsvDataset } from "./csv-file.ts";
export { demoDatasetLabels, seedDemoStatistics } from "./demo.ts";
export {
  addRefusalToReply,
  addReleaseToReply,
  buildTableView,
  columnLabel,
  commandLineImporter,
  type DatasetColumns,
  type DatasetImport,
  type DimensionColumn,
  datasetList,
  datasetPage,
  type ImportedDataset,
  importCsvDataset,
  type PolicyInput,
  publishedStatistic,
  publishedStatisticFile,
  publishedStatisticNotes,
  publishedStatistics,
  type Released,
  releasePage,
  releaseTable,
  requestChoices,
  savePolicy,
  statisticsPath,
  storeDataset,
  type TableRequest,
  type TableView,
} from "./service.ts";
