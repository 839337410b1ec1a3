// Retention: schedules, legal holds, anonymisation, a requester's export and erasure, backup and restore
// (DESIGN.md). The history stays tamper-evident through all of it (requests/history.ts).

export { type BackupManifest, restoreBackup, writeBackup, writeWhole } from "./backup.ts";
export { ANONYMISE_LEASE, anonymiseDueIfFree, DAY_MS, scheduleAnonymisation } from "./job.ts";
export { answerBackupRequests, askServerForBackup, servingProcess } from "./live-backup.ts";
export { eraseRequester, exportRequester, findRequester, rectifyRequester } from "./requester.ts";
export {
  DECISION_NOTICE_HOLD_DAYS,
  demoSchedule,
  legalHold,
  legalHoldStates,
  recordTypeLabels,
  recordTypeOf,
  recordTypes,
  retentionEnds,
} from "./rules.ts";
export {
  type AnonymisationRun,
  anonymiseDue,
  checkOrphanFiles,
  type Destroyed,
  type DueReport,
  dueForAnonymisation,
  legalHolds,
  liftLegalHold,
  type MailCopies,
  type OrphanCheck,
  placeLegalHold,
  placeLegalHoldByReference,
  retentionSchedule,
  type ScheduleEntry,
  seedRetentionSchedule,
  setRetentionPeriod,
} from "./service.ts";
