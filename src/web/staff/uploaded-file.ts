import type { StagedFile } from "../../storage/index.ts";

/**
 * A file from a staff form (`multipart/form-data`), as it appears in `request.body`: already written to the
 * file store as it arrived, but only staged — the handler commits it (`content.commit`) once the whole form
 * is valid, and whatever it did not commit is removed when the answer has been sent.
 */
export interface UploadedFile {
  filename: string;
  mediaType: string;
  content: StagedFile;
}
