import { strToU8, zipSync } from "fflate";
import type { Kysely } from "kysely";
import { z } from "zod";
import { londonDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import { DomainError, invalid, parseInput } from "../errors.ts";
import type { MailTransport } from "../mail/index.ts";
import {
  type Actor,
  isOpen,
  readableHistory,
  recordEvent,
  requesterSchema,
  requestRecordsOfRequester,
  requestReferencesOfRequester,
  retentionCandidates,
} from "../requests/index.ts";
import type { FileStore } from "../storage/index.ts";
import { assertCan } from "../users/index.ts";
import { legalHold } from "./rules.ts";
import { destroyRequestData, type MailCopies } from "./service.ts";

// One requester's own data: everything foidesk holds about them, as a zip for a subject access request about
// foidesk's own records (UK GDPR Art. 15), and its erasure (Art. 17) or rectification (Art. 16) on request.
// Both are refused while a legal hold applies (Art. 17(3)(e): data needed for legal claims).

type Db = Kysely<Database>;

/** The requester with this email (case ignored), or this id. */
export async function findRequester(db: Db, by: { email?: string | undefined; id?: number | undefined }) {
  let query = db.selectFrom("requesters").selectAll();
  if (by.id !== undefined) query = query.where("id", "=", by.id);
  else if (by.email) query = query.where((eb) => eb(eb.fn("lower", ["email"]), "=", by.email!.toLowerCase()));
  else throw invalid("email", "Give the requester's email address or id");
  const found = await query.executeTakeFirst();
  if (!found) throw new DomainError("not-found", "No requester has that email address or id");
  return found;
}

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 100) || "file";
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Everything held about one requester as a zip: `index.html` (readable, linking every file), and for each
 * request its record (request.json), its history (history.txt, personal values in place), its documents and
 * the email received on it. The requester's own data only: no other requester's appears in it.
 */
export async function exportRequester(
  db: Db,
  files: FileStore,
  requesterId: number,
  now: Date,
  /** Where the mail transport keeps copies of sent email (the development outbox folder), to include them. */
  mailCopies?: Pick<MailTransport, "stored">,
): Promise<{ zip: Uint8Array; requests: number; documents: number }> {
  const person = await findRequester(db, { id: requesterId });
  const requests = await requestRecordsOfRequester(db, requesterId);
  const entries: Record<string, Uint8Array> = {};
  const index: string[] = [];
  let documentCount = 0;
  for (const request of requests) {
    const folder = `requests/${safeName(request.reference)}`;
    const links: string[] = [];
    entries[`${folder}/request.json`] = strToU8(
      JSON.stringify(
        {
          reference: request.reference,
          regime: request.regime,
          channel: request.channel,
          receivedDate: request.received_date,
          state: request.state,
          outcome: request.outcome,
          request: request.body,
          questions: request.questions,
          dueDate: request.due_date,
        },
        null,
        2,
      ),
    );
    links.push(`<a href="${folder}/request.json">the request as recorded</a>`);
    const events = await readableHistory(db, request.id);
    entries[`${folder}/history.txt`] = strToU8(
      events
        .map(
          (event) =>
            `${event.occurredAt.toISOString()}  ${event.type}  by ${event.actorLabel}\n${JSON.stringify(event.payload)}\n`,
        )
        .join("\n"),
    );
    links.push(`<a href="${folder}/history.txt">its history (${events.length} events)</a>`);
    const documents = await db
      .selectFrom("documents")
      .selectAll()
      .where("request_id", "=", request.id)
      .execute();
    for (const document of documents) {
      const name = `${folder}/documents/${document.id}-${safeName(document.filename)}`;
      entries[name] = await files.get(document.storage_key);
      links.push(`<a href="${name}">${escapeHtml(document.filename)}</a>`);
      documentCount++;
    }
    const mail = await db
      .selectFrom("received_mail")
      .select(["id", "subject", "text_body", "received_at", "storage_key"])
      .where("request_id", "=", request.id)
      .where("destroyed_at", "is", null)
      .execute();
    for (const message of mail) {
      const name = `${folder}/email/${message.id}.${message.storage_key ? "eml" : "txt"}`;
      entries[name] = message.storage_key ? await files.get(message.storage_key) : strToU8(message.text_body);
      links.push(
        `<a href="${name}">email received ${londonDate(message.received_at)}: ${escapeHtml(message.subject)}</a>`,
      );
    }
    // The email sent to them about it: the stored message where a copy is kept, else what was recorded.
    const sent = await db
      .selectFrom("sent_mail")
      .select(["id", "to_address", "subject", "kind", "sent_at", "file_name"])
      .where("request_id", "=", request.id)
      .where("to_address", "!=", "")
      .orderBy("id")
      .execute();
    for (const message of sent) {
      const copy = message.file_name ? await mailCopies?.stored(message.file_name) : null;
      const name = `${folder}/email-sent/${message.id}.${copy ? "eml" : "txt"}`;
      entries[name] =
        copy ??
        strToU8(
          `To: ${message.to_address}\nSubject: ${message.subject}\nSent: ${message.sent_at.toISOString()}\nKind: ${message.kind}\n`,
        );
      links.push(
        `<a href="${name}">email sent ${londonDate(message.sent_at)}: ${escapeHtml(message.subject)}</a>`,
      );
    }
    index.push(
      `<h2>${escapeHtml(request.reference)} (received ${request.received_date})</h2>\n<ul>${links.map((link) => `<li>${link}</li>`).join("")}</ul>`,
    );
  }
  const details = [
    ["Name", person.name],
    ["Email", person.email ?? ""],
    ["Postal address", person.address ?? ""],
    ["Organisation", person.organisation ?? ""],
    ["Kind of requester", person.type],
  ];
  entries["requester.json"] = strToU8(JSON.stringify(Object.fromEntries(details), null, 2));
  entries["index.html"] = strToU8(
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>Your information held in foidesk</title>
<h1>Information held about ${escapeHtml(person.name || "you")}</h1>
<p>Exported on ${londonDate(now)} under UK GDPR Article 15. It holds ${requests.length} request(s) and ${documentCount} document(s).</p>
<table>${details.map(([label, value]) => `<tr><th>${label}</th><td>${escapeHtml(value ?? "")}</td></tr>`).join("")}</table>
${index.join("\n")}
</html>\n`,
  );
  // A fixed timestamp: the same holdings always give the same bytes.
  return {
    zip: zipSync(entries, { mtime: new Date("2000-01-01T00:00:00Z") }),
    requests: requests.length,
    documents: documentCount,
  };
}

/** Why this requester's data may not be changed or destroyed now (legal hold, open request), or null. */
async function requesterRefusal(
  db: Db,
  requesterId: number,
  now: Date,
  erasing: boolean,
): Promise<string | null> {
  const requests = await requestReferencesOfRequester(db, requesterId);
  const today = londonDate(now);
  const candidates = await retentionCandidates(db, {
    requestIds: requests.map((request) => request.id),
  });
  for (const candidate of candidates) {
    const hold = legalHold(
      {
        state: candidate.state,
        decisionNoticeDate: candidate.decision_notice_date,
        managerHolds: candidate.manager_holds,
      },
      today,
    );
    if (hold) return `${candidate.reference} is under a legal hold: ${hold}`;
    // An open request is still owed an answer (FOIA s.1, Art. 17(3)(b)): withdraw it first, then erase.
    if (erasing && isOpen(candidate.state))
      return `${candidate.reference} is still open: record it as withdrawn before erasing`;
  }
  return null;
}

/** Erases one requester's personal data from every request of theirs (Art. 17), recorded on each history. */
export async function eraseRequester(
  db: Db,
  files: FileStore,
  requesterId: number,
  actor: Actor,
  now: Date,
  mailCopies?: MailCopies,
): Promise<{ references: string[] }> {
  assertCan(actor, "erase-requester-data");
  await findRequester(db, { id: requesterId });
  const refusal = await requesterRefusal(db, requesterId, now, true);
  if (refusal) throw new DomainError("conflict", `Not erased: ${refusal}`);
  const requests = await requestReferencesOfRequester(db, requesterId);
  for (const request of requests)
    await destroyRequestData(
      db,
      files,
      request.id,
      "requester-erased",
      { article: "UK GDPR Art. 17" },
      actor,
      now,
      mailCopies,
    );
  // A requester with no request (never happens through intake) is simply removed.
  await db.deleteFrom("requesters").where("id", "=", requesterId).execute();
  return { references: requests.map((request) => request.reference) };
}

// The intake schema's rules for each detail, but every detail optional and none defaulted: only what is given
// is corrected.
const rectifiable = z.object({
  name: z.string().trim().min(1, { error: "Enter the corrected name" }).max(200).optional(),
  email: requesterSchema.shape.email,
  address: requesterSchema.shape.address,
  organisation: requesterSchema.shape.organisation,
});

/** Corrects one requester's details (Art. 16); each of their requests records which fields changed. */
export async function rectifyRequester(
  db: Db,
  requesterId: number,
  input: unknown,
  actor: Actor,
  now: Date,
): Promise<{ fields: string[] }> {
  assertCan(actor, "correct-requester-data");
  const changes = parseInput(rectifiable, input);
  const fields = Object.entries(changes)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);
  if (fields.length === 0)
    throw invalid("name", "Give at least one corrected detail: name, email, address, organisation");
  await findRequester(db, { id: requesterId });
  const refusal = await requesterRefusal(db, requesterId, now, false);
  if (refusal) throw new DomainError("conflict", `Not corrected: ${refusal}`);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("requesters")
      .set(Object.fromEntries(fields.map((field) => [field, changes[field as keyof typeof changes] ?? null])))
      .where("id", "=", requesterId)
      .execute();
    for (const request of await requestReferencesOfRequester(trx, requesterId))
      await recordEvent(
        trx,
        request.id,
        "requester-rectified",
        { fields, article: "UK GDPR Art. 16" },
        actor,
        now,
      );
  });
  return { fields };
}
