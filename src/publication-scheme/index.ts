// The publication scheme (FOIA s.19, s.20; FOISA s.23): the model scheme's classes (the ICO's seven, or the
// Scottish Information Commissioner's nine in Scotland) and the guide to information — what is published in
// each, how, and any charge — kept by managers and reviewed yearly.
// A module of its own, not part of `publication`: that module is the disclosure log (replies to requests),
// built on `responses`; the scheme is the authority's proactive publishing and only links to the log.
export { seedDemoPublicationScheme } from "./demo.ts";
export {
  type Availability,
  availabilityLabels,
  type EntryInput,
  isReviewDue,
  type ModelScheme,
  modelSchemeFor,
  REVIEW_MONTHS,
  reviewDueOn,
  validateEntry,
} from "./scheme.ts";
export {
  entryForm,
  type PublicEntry,
  publicationScheme,
  removeEntry,
  type SchemeClass,
  type SchemeEditor,
  type StaffEntry,
  saveEntry,
  schemeForStaff,
} from "./service.ts";
