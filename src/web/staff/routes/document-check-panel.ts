import { type Actor, findingsInWords, releaseBlock, storedChecks } from "../../../requests/index.ts";
import { can } from "../../../users/index.ts";
import { requestPath } from "./paths.ts";

// The request page's panel on release safety: each file's hidden data in plain words, its clean copy, and
// whether it may be released as it is (the routes that act on it are in document-checks.ts).

/** The request page's "Hidden data in these files" section: one entry per file that cannot go out as it is. */
export async function documentCheckPanel(
  db: Parameters<typeof storedChecks>[0],
  requestId: number,
  documents: readonly { id: number; filename: string; uploaded_by: string }[],
  actor: Actor,
) {
  const checks = await storedChecks(
    db,
    documents.map((document) => document.id),
  );
  const byId = new Map(documents.map((document) => [document.id, document]));
  return [...checks.values()]
    .filter(
      (check) => releaseBlock(check) !== null || check.releasedBy !== null || check.cleanCopyOf !== null,
    )
    .map((check) => {
      const document = byId.get(check.documentId)!;
      const copy = check.cleanCopyId ? byId.get(check.cleanCopyId) : undefined;
      const original = check.cleanCopyOf ? byId.get(check.cleanCopyOf) : undefined;
      return {
        id: check.documentId,
        filename: document.filename,
        href: `${requestPath(requestId)}/documents/${check.documentId}`,
        findings: findingsInWords(check),
        blocked: releaseBlock(check),
        cleanCopy: copy
          ? { filename: copy.filename, href: `${requestPath(requestId)}/documents/${copy.id}` }
          : null,
        cleanCopyOf: original?.filename ?? null,
        released: check.releasedBy
          ? { by: check.releasedBy, reason: check.releasedReason, at: check.releasedAt }
          : null,
        canClean:
          !check.cleanCopyId && !check.cleanCopyOf && (check.findings.length > 0 || check.refused === null),
        canRelease:
          can(actor, "release-file-as-is").allowed &&
          document.uploaded_by !== actor.label &&
          !check.releasedBy,
        tracked: check.findings.some((finding) => finding.kind === "tracked-change"),
      };
    });
}
