/**
 * What an inspection finds: the hidden data the ICO's "How to disclose information safely" (2018) warns of —
 * hidden sheets, rows and columns, pivot caches, comments, tracked changes, metadata, fake redactions.
 */
export const findingKinds = [
  "hidden-sheet",
  "hidden-row",
  "hidden-column",
  "comment",
  "pivot-cache",
  "external-link",
  "defined-name",
  "metadata",
  "embedded-object",
  "macro",
  "tracked-change",
  "hidden-text",
  "covered-text",
  "attachment",
  "annotation",
  "old-revision",
  "javascript",
  "form-field",
  "formula",
] as const;
export type FindingKind = (typeof findingKinds)[number];

export interface Finding {
  kind: FindingKind;
  /** Where it is: a sheet and cell range, a page and box, or a part of the file. */
  where: string;
  /** A short excerpt of what it holds. */
  detail: string;
}

export const fileFormats = [
  "xlsx",
  "xlsm",
  "docx",
  "docm",
  "pptx",
  "ods",
  "odt",
  "csv",
  "pdf",
  "jpeg",
  "png",
  "tiff",
  "txt",
] as const;
export type FileFormat = (typeof fileFormats)[number];

/** Each format's file extensions (the first is the one a new file gets) and media type (IANA registry). */
export const formatFiles: Record<FileFormat, { extensions: readonly string[]; mediaType: string }> = {
  xlsx: {
    extensions: ["xlsx"],
    mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  },
  xlsm: { extensions: ["xlsm"], mediaType: "application/vnd.ms-excel.sheet.macroEnabled.12" },
  docx: {
    extensions: ["docx"],
    mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  },
  docm: { extensions: ["docm"], mediaType: "application/vnd.ms-word.document.macroEnabled.12" },
  pptx: {
    extensions: ["pptx", "pptm"],
    mediaType: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  },
  ods: { extensions: ["ods"], mediaType: "application/vnd.oasis.opendocument.spreadsheet" },
  odt: { extensions: ["odt"], mediaType: "application/vnd.oasis.opendocument.text" },
  csv: { extensions: ["csv", "tsv"], mediaType: "text/csv" },
  pdf: { extensions: ["pdf"], mediaType: "application/pdf" },
  jpeg: { extensions: ["jpg", "jpeg"], mediaType: "image/jpeg" },
  png: { extensions: ["png"], mediaType: "image/png" },
  tiff: { extensions: ["tif", "tiff"], mediaType: "image/tiff" },
  txt: { extensions: ["txt"], mediaType: "text/plain" },
};

/**
 * The name a file gets once it is in `format`: its extension changed when it names another format
 * (`pay.xlsm` → `pay.xlsx`, `slides.pptm` → `slides.pptx`), kept when it already fits (`photo.jpeg`).
 */
export function nameForFormat(name: string, format: FileFormat): string {
  const { extensions } = formatFiles[format];
  const extension = /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase();
  // A macro-enabled presentation read as a presentation still gets the plain extension.
  if (extension && extensions.includes(extension) && extension !== "pptm") return name;
  return `${name.replace(/\.[^./\\]*$/, "")}.${extensions[0]}`;
}

export interface Inspection {
  format: FileFormat;
  findings: Finding[];
}

/** A file that cannot be inspected or cleaned: unknown or encrypted formats, corrupt files, zip bombs. */
export class FileRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FileRefused";
  }
}

const excerptLength = 120;

/** A short excerpt: whitespace collapsed, cut at `excerptLength` characters with an ellipsis. */
export function excerpt(text: string, length = excerptLength): string {
  const collapsed = text.replace(/\s+/g, " ").trim();
  return collapsed.length <= length ? collapsed : `${collapsed.slice(0, length - 1)}…`;
}

/** Up to a few values as one excerpt: `3 cells: Alice, Bob, Carol`. */
export function listExcerpt(noun: string, count: number, samples: readonly string[]): string {
  const plural = count === 1 ? noun : `${noun}s`;
  const shown = samples.filter((sample) => sample.trim() !== "");
  return excerpt(shown.length > 0 ? `${count} ${plural}: ${shown.join(", ")}` : `${count} ${plural}`);
}

/** Plain words for each kind, for the pages that show findings to staff. */
export const findingLabels: Record<FindingKind, string> = {
  "hidden-sheet": "Hidden sheet",
  "hidden-row": "Hidden rows",
  "hidden-column": "Hidden columns",
  comment: "Comment or speaker notes",
  "pivot-cache": "Pivot table data (the rows a summary was built from)",
  "external-link": "Link to another file",
  "defined-name": "Named range pointing at hidden data",
  metadata: "Author and document properties",
  "embedded-object": "Embedded file",
  macro: "Macro code",
  "tracked-change": "Tracked change",
  "hidden-text": "Hidden text",
  "covered-text": "Text under a black box (not truly redacted)",
  attachment: "Attached file",
  annotation: "Annotation",
  "old-revision": "Earlier version kept in the file",
  javascript: "Script",
  "form-field": "Form field",
  formula: "Cell a spreadsheet would run as a formula",
};

/** What inspecting a container (a zip package) found, and the files inside it to inspect in turn. */
export interface ContainerInspection {
  findings: Finding[];
  /** Files held inside this one, to be inspected in turn. */
  embedded: { name: string; bytes: Uint8Array }[];
}
