import { type Kysely, sql, type Transaction } from "kysely";
import { type AuthorityProfile, authorityProfile } from "../authority/index.ts";
import { type Database, lockForTransaction, type Role } from "../db/index.ts";
import { DomainError } from "../errors.ts";
import { isSubjectAccess } from "../law/index.ts";
import { can } from "../users/index.ts";
import type { Actor } from "./workflow.ts";

// Who may see subject access requests. A SAR holds the requester's own personal data, often the most sensitive
// the authority keeps (custody records, video): UK GDPR Art.5(1)(f) and Art.32 ask that only those who need it
// can read it. A manager names a SAR team and the roles that may see them; everyone else is told a SAR does not
// exist (404: its existence is itself personal data). The requester reads their own through the tracking link.

type Db = Kysely<Database>;

export interface SubjectAccessPolicy {
  /** Members of this team see every SAR. */
  teamId: number | null;
  /** Staff with these roles see every SAR. */
  roles: Role[];
}

export async function subjectAccessPolicy(db: Db): Promise<SubjectAccessPolicy> {
  return policyOf(await authorityProfile(db));
}

/** The policy from the authority's settings (read already by a caller that needs its other settings too). */
export function policyOf(authority: Pick<AuthorityProfile, "sarTeamId" | "sarRoles">): SubjectAccessPolicy {
  return { teamId: authority.sarTeamId, roles: authority.sarRoles };
}

/**
 * Whether this person may see subject access requests. The requester (through their link) always may. `known`:
 * the policy, when the caller has read the authority's settings already.
 */
export async function maySeeSubjectAccess(
  db: Db,
  viewer: Actor,
  known?: SubjectAccessPolicy,
): Promise<boolean> {
  if (can(viewer, "view-subject-access").allowed) return true;
  if (viewer.userId === null) return false;
  const policy = known ?? (await subjectAccessPolicy(db));
  // The viewer's team matters only when their role does not already let them see SARs.
  const user =
    policy.teamId === null || (policy.roles as string[]).includes(viewer.role)
      ? undefined
      : await db.selectFrom("users").select("team_id").where("id", "=", viewer.userId).executeTakeFirst();
  return can(viewer, "view-subject-access", { subjectAccess: policy, teamId: user?.team_id ?? null }).allowed;
}

/** Refuses (as "no such request") a subject access request to someone who may not see it. */
export async function assertMayRead(db: Db, request: { regime: string }, viewer: Actor): Promise<void> {
  if (isSubjectAccess(request.regime) && !(await maySeeSubjectAccess(db, viewer)))
    throw new DomainError("not-found", "There is no such request");
}

/** Refuses request `id` to a viewer who may not see it; a request that does not exist is not refused here. */
export async function assertMayReadRequest(db: Db, requestId: number, viewer: Actor): Promise<void> {
  const row = await db.selectFrom("requests").select("regime").where("id", "=", requestId).executeTakeFirst();
  if (row) await assertMayRead(db, row, viewer);
}

/**
 * One opening of a document: its page images (the redaction page asks for each in turn) and a download
 * within this long of a recorded view, by the same person, are that view, not views of their own.
 */
const SAME_VIEW_MS = 60_000;

/**
 * Records that someone saw a SAR's documents: the list on its page, or one document's bytes. A document
 * opened again by the same person within a minute of a recorded view is the same view and is not recorded again.
 */
export async function recordSarDocumentView(
  db: Db,
  view: { requestId: number; documentId: number | null; what: string },
  viewer: Actor,
  now: Date,
): Promise<void> {
  const values = {
    request_id: view.requestId,
    document_id: view.documentId,
    what: view.what.slice(0, 500),
    user_id: viewer.userId,
    user_label: viewer.label,
    viewed_at: now,
  };
  const { documentId } = view;
  const { userId } = viewer;
  if (documentId === null || userId === null) {
    await db.insertInto("sar_document_views").values(values).execute();
    return;
  }
  // Checked and inserted while holding a lock for this document and person (until the transaction ends), so
  // page images asked for at the very same moment wait for the first's record and find it.
  const record = async (trx: Transaction<Database>) => {
    await lockForTransaction(trx, `sar-view:${documentId}:${userId}`);
    await trx
      .insertInto("sar_document_views")
      .columns(["request_id", "document_id", "what", "user_id", "user_label", "viewed_at"])
      .expression(
        trx
          .selectNoFrom([
            sql<number>`${values.request_id}::int`.as("request_id"),
            sql<number>`${documentId}::int`.as("document_id"),
            sql<string>`${values.what}::text`.as("what"),
            sql<number>`${userId}::int`.as("user_id"),
            sql<string>`${values.user_label}::text`.as("user_label"),
            sql<Date>`${now}::timestamptz`.as("viewed_at"),
          ])
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom("sar_document_views")
                  .select("id")
                  .where("request_id", "=", values.request_id)
                  .where("document_id", "=", documentId)
                  .where("user_id", "=", userId)
                  .where("viewed_at", ">", new Date(now.getTime() - SAME_VIEW_MS))
                  .where("viewed_at", "<=", now),
              ),
            ),
          ),
      )
      .execute();
  };
  if (db.isTransaction) await record(db as Transaction<Database>);
  else await db.transaction().execute(record);
}

export interface SarDocumentView {
  id: number;
  requestId: number;
  reference: string;
  documentId: number | null;
  what: string;
  viewer: string;
  viewedAt: Date;
}

/** The views of SARs' documents, newest first (for a manager or the data protection officer). */
export async function sarDocumentViews(
  db: Db,
  filter: { requestId?: number | undefined; limit?: number | undefined } = {},
): Promise<SarDocumentView[]> {
  let query = db
    .selectFrom("sar_document_views as v")
    .innerJoin("requests as r", "r.id", "v.request_id")
    .select([
      "v.id",
      "v.request_id as requestId",
      "r.reference",
      "v.document_id as documentId",
      "v.what",
      "v.user_label as viewer",
      "v.viewed_at as viewedAt",
    ])
    .orderBy("v.viewed_at", "desc")
    .orderBy("v.id", "desc")
    .limit(Math.min(Math.max(filter.limit ?? 200, 1), 1000));
  if (filter.requestId !== undefined) query = query.where("v.request_id", "=", filter.requestId);
  return query.execute();
}
