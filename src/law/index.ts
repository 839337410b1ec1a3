// The law: regimes and their clocks. Pure, no I/O, no clock reads; counts days through the calendar module.
export {
  type ClockEvent,
  type ClockSettings,
  computeDeadline,
  type Deadline,
  type DeadlineInput,
} from "./deadline.ts";
export { referenceDeadline } from "./reference-deadline.ts";
export {
  type ExtensionType,
  extensionTypes,
  isRegime,
  type Regime,
  type RegimeRule,
  regimeRule,
  regimes,
  type StopRule,
  type WorkedCase,
} from "./regimes.ts";
