// Statistics: datasets, release policies, tables with disclosure control (primary and secondary suppression,
// the interval audit, differencing across releases, rounding) and their outputs. Pure: no I/O, no clock; the
// LP solver is passed in (highs-solver.ts adapts HiGHS, loaded only when asked; datasets reads CSV files).
export {
  type Attacker,
  type AttackerMode,
  type AttackerSystem,
  type Cut,
  DECISION,
  FIXED,
  FREE,
} from "./attacker.ts";
export {
  type AuditResult,
  auditSystem,
  auditTable,
  type Exposure,
  type Interval,
  overlapping,
  type Target,
  tableSystem,
  tableTargets,
} from "./audit.ts";
export { CsvParser, csvError, csvField, parseCsv } from "./csv.ts";
export {
  type Dataset,
  DatasetBuilder,
  type DatasetCell,
  type DatasetSpec,
  datasetFromRows,
  importDataset,
} from "./dataset.ts";
export {
  auditWithReleases,
  type DifferencingAudit,
  type DifferencingExposure,
  jointSystem,
  protectWithReleases,
  type Release,
  type ReleaseDecision,
  type ReleasedCell,
  releaseOf,
} from "./differencing.ts";
/** The worked example (a fictional force's gangs matrix, synthetic): for the demo and the tests. */
export { gangRecords, gangsDataset, gangsPolicy } from "./examples/gangs.ts";
export {
  buildTree,
  type CategoryGroups,
  compareCategories,
  type DimensionTree,
  type HierarchySpec,
  parseHierarchy,
  TOTAL,
  type TreeNode,
} from "./hierarchy.ts";
export { loadHighsSolver } from "./highs-solver.ts";
export { notesCsv, tableCsv } from "./outputs/csv.ts";
export { escapeHtml, tableHtml } from "./outputs/html.ts";
export {
  auditJson,
  checkDimensionNames,
  type ParsedPattern,
  parsePattern,
  protectedJson,
} from "./outputs/json.ts";
export { tableSvg } from "./outputs/svg.ts";
export {
  formatFigure,
  type PublishedCell,
  type PublishedTable,
  publishRounded,
  publishSuppressed,
  SUPPRESSED,
  SUPPRESSED_MEANING,
} from "./outputs/view.ts";
export { tableXlsx } from "./outputs/xlsx.ts";
export {
  answerTableRequest,
  decideTableRequest,
  type PolicyDecision,
  parseReleasePolicy,
  policyRules,
  type ReleasePolicy,
  releasePolicySchema,
  type TableAnswer,
} from "./policy.ts";
export {
  type CellStatus,
  type InformationLoss,
  type ProtectedTable,
  type ProtectOptions,
  parseCellSelectors,
  protectTable,
  type SuppressionCost,
  type SuppressionMethod,
  suppressionWeights,
} from "./protect.ts";
export { type RoundedTable, type RoundingMethod, roundTable } from "./rounding.ts";
export {
  DEFAULT_RANGE_PERCENT,
  formatRule,
  type PrimaryCell,
  type PrimaryReason,
  type PrimaryRule,
  type ProtectionLevels,
  parseRule,
  primaryCells,
  protectionLevels,
  singletonCells,
  unsafeByRule,
} from "./rules.ts";
export {
  CannotProtect,
  heuristicSuppression,
  lineCuts,
  optimalSuppression,
  type SuppressionProblem,
  type SuppressionResult,
  slackFor,
} from "./secondary.ts";
export type {
  LinearProgram,
  LpResult,
  LpSession,
  LpSolver,
  LpStatus,
  SolveOptions,
  SparseRows,
} from "./solver.ts";
export { sparseRows } from "./solver.ts";
export {
  amount,
  buildTable,
  cellLabels,
  type DimensionSpec,
  describeCell,
  type Equation,
  findCell,
  isInterior,
  isMagnitude,
  type LabelledCell,
  type Table,
  type TableCell,
  tableFromCells,
} from "./table.ts";
