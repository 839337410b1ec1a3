// The authority: its identity and the settings its clock, references and publishing follow.
export {
  type AuthoritySettings,
  type AuthoritySettingsChange,
  authoritySettings,
  authoritySettingsSchema,
  updateAuthoritySettings,
} from "./settings.ts";
