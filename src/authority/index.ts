// The authority: its identity and the settings its clock, references and publishing follow.

export {
  type AuthorityProfile,
  authorityDefaults,
  authorityIsSetUp,
  authorityProfile,
  setPublishAfterDays,
  setUpAuthority,
} from "./profile.ts";
export {
  checkReferencePattern,
  DEFAULT_REFERENCE_PATTERN,
  referencePlaceholder,
} from "./reference-pattern.ts";
export {
  type AuthoritySettings,
  type AuthoritySettingsChange,
  authoritySettings,
  authoritySettingsSchema,
  updateAuthoritySettings,
} from "./settings.ts";
