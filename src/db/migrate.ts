import { type Kysely, sql } from "kysely";
import { type Migration, Migrator } from "kysely/migration";
import * as casework from "./migrations/0001_casework.ts";
import * as publicSite from "./migrations/0002_public.ts";
import * as replies from "./migrations/0003_replies.ts";
import * as publication from "./migrations/0004_publication.ts";
import * as workQueue from "./migrations/0005_work_queue.ts";
import * as publicationRanking from "./migrations/0006_publication_ranking.ts";
import * as statistics from "./migrations/0007_statistics.ts";
import * as searchSpeed from "./migrations/0008_search_speed.ts";
import * as leases from "./migrations/0009_leases.ts";
import * as eisr from "./migrations/0010_eisr.ts";
import * as intakeTeam from "./migrations/0011_intake_team.ts";
import * as sessionIdle from "./migrations/0012_session_idle.ts";
import * as signInThrottle from "./migrations/0013_sign_in_throttle.ts";
import * as inboundMail from "./migrations/0014_inbound_mail.ts";
import * as publicationScheme from "./migrations/0015_publication_scheme.ts";
import * as inboxDismiss from "./migrations/0016_inbox_dismiss.ts";
import * as publicationSchemeScotland from "./migrations/0017_publication_scheme_scotland.ts";
import * as documentChecks from "./migrations/0018_document_checks.ts";
import * as regulatorStage from "./migrations/0020_regulator_stage.ts";
import * as identity from "./migrations/0025_identity.ts";
import * as subjectAccessVisibility from "./migrations/0028_subject_access_visibility.ts";
import * as retention from "./migrations/0031_retention.ts";
import * as searchRum from "./migrations/0035_search_rum.ts";
import * as reviewLetters from "./migrations/0038_review_letters.ts";
import * as sealedTotpSecrets from "./migrations/0042_sealed_totp_secrets.ts";
import * as mailOutbox from "./migrations/0045_mail_outbox.ts";
import * as workQueueOpenStates from "./migrations/0048_work_queue_open_states.ts";
import * as publishedByTopic from "./migrations/0049_published_by_topic.ts";
import * as searchTerms from "./migrations/0050_search_terms.ts";
import * as searchSample from "./migrations/0051_search_sample.ts";
import type { Database } from "./schema.ts";

// Numbered, in order; a migration never changes after it lands (STYLE.md).
const migrations: Record<string, Migration> = {
  "0001_casework": casework,
  "0002_public": publicSite,
  "0003_replies": replies,
  "0005_work_queue": workQueue,
  "0004_publication": publication,
  "0006_publication_ranking": publicationRanking,
  "0007_statistics": statistics,
  "0008_search_speed": searchSpeed,
  "0009_leases": leases,
  "0010_eisr": eisr,
  "0011_intake_team": intakeTeam,
  "0012_session_idle": sessionIdle,
  "0013_sign_in_throttle": signInThrottle,
  "0014_inbound_mail": inboundMail,
  "0015_publication_scheme": publicationScheme,
  "0016_inbox_dismiss": inboxDismiss,
  "0017_publication_scheme_scotland": publicationSchemeScotland,
  "0018_document_checks": documentChecks,
  "0031_retention": retention,
  "0035_search_rum": searchRum,
  "0038_review_letters": reviewLetters,
  "0025_identity": identity,
  "0028_subject_access_visibility": subjectAccessVisibility,
  "0020_regulator_stage": regulatorStage,
  "0042_sealed_totp_secrets": sealedTotpSecrets,
  "0045_mail_outbox": mailOutbox,
  "0048_work_queue_open_states": workQueueOpenStates,
  "0049_published_by_topic": publishedByTopic,
  "0050_search_terms": searchTerms,
  "0051_search_sample": searchSample,
};

export interface MigrationReport {
  applied: string[];
  latest: string;
}

export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationReport> {
  // Kysely looks for its bookkeeping tables in any schema unless told which; each authority or test database
  // on a shared server has a schema of its own, so name the current one.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: rows[0]?.schema ?? "public",
    // Work lands in parallel branches: a lower-numbered migration may arrive after a higher one was applied.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const names = Object.keys(migrations);
  return {
    applied: (results ?? [])
      .filter((result) => result.status === "Success")
      .map((result) => result.migrationName),
    latest: names[names.length - 1] ?? "",
  };
}
