export {
  type DatabaseConfig,
  type DatabaseHandle,
  databaseConfigFromEnv,
  defaultPoolSize,
  openDatabase,
} from "./connection.ts";
export { lockForTransaction, whileExclusive } from "./exclusive.ts";
export { giveBackLease, type JobLog, type RepeatedJob, repeatJob, takeLease, withLease } from "./lease.ts";
export { type MigrationReport, migrateToLatest } from "./migrate.ts";
export { prepared } from "./prepared.ts";
export type * from "./schema.ts";
