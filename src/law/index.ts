// The law: regimes and their clocks. Pure, no I/O, no clock reads; counts days through the calendar module.
export {
  type ClockEvent,
  type ClockSettings,
  type ClockStop,
  computeDeadline,
  type Deadline,
  type DeadlineInput,
  stopEnded,
} from "./deadline.ts";
export {
  type EnvironmentalProvisions,
  type EnvironmentalRegime,
  type Exemption,
  type ExemptionBasis,
  type ExemptionSamples,
  environmentalProvisions,
  type HarmTest,
  type InformationRegime,
  informationRegimes,
  isEnvironmental,
  isInformationRegime,
  type Likelihood,
  likelihoodLabels,
  likelihoods,
  type NcndProvision,
  regimeLaw,
} from "./exemption-model.ts";
export {
  type CitationOptions,
  citeExemptions,
  counterpartIn,
  exemption,
  exemptions,
  exemptionsFor,
  regimeOfId,
} from "./exemptions.ts";
export { type ExtensionClaim, extensionRefusal } from "./extensions.ts";
export { feeLapseDate, lateFeeRefusal } from "./fees.ts";
export {
  type Outcome,
  outcomeLabels,
  outcomes,
  type ReviewOutcome,
  reviewOutcomeLabels,
  reviewOutcomes,
} from "./outcomes.ts";
export {
  aggregationSpan,
  type CostActivity,
  type CostRule,
  costActivities,
  costActivityLabels,
  costOfHours,
  costRules,
  formatPence,
  type ProceduralRefusal,
  proceduralRefusal,
  proceduralRefusals,
  type RefusalGround,
  refusalGrounds,
} from "./procedural-refusals.ts";
export { referenceDeadline } from "./reference-deadline.ts";
export {
  type ExtensionType,
  extensionTypes,
  isRegime,
  isScottishAuthority,
  isSubjectAccess,
  type Regime,
  type RegimeKind,
  type RegimeRule,
  regimeFor,
  regimeName,
  regimeRule,
  regimes,
  type StopRule,
  type WorkedCase,
} from "./regimes.ts";
export { type AppealRoute, appealDeadline, appealRoute } from "./regulator.ts";
export {
  type DeadlineKind,
  deadlineCount,
  deadlineKinds,
  type TimeLeft,
  type TimeLeftInput,
  timeLeft,
} from "./time-left.ts";
