import { type ContainerInspection, excerpt, type Finding } from "./findings.ts";
import { local, parseXmlPart } from "./xml.ts";
import type { ZipArchive } from "./zip.ts";

/** The properties that name people or organisations (ICO: "metadata ... may contain the author's name"). */
const coreProperties: Record<string, string> = {
  creator: "author",
  lastModifiedBy: "last modified by",
  keywords: "keywords",
  description: "description",
  subject: "subject",
  category: "category",
};
const appProperties: Record<string, string> = { Company: "company", Manager: "manager" };

/** Reads the text of the simple elements of a part, by local name (the last value of each name wins). */
function simpleValues(
  zip: ZipArchive,
  part: string,
  names: Record<string, string>,
  found: (label: string, value: string) => void,
): void {
  if (!zip.entries.has(part)) return;
  let current: string | undefined;
  let text = "";
  parseXmlPart(zip, part, {
    open(name) {
      const key = local(name);
      current = key in names ? key : undefined;
      text = "";
    },
    text(value) {
      if (current) text += value;
    },
    close(name) {
      const key = local(name);
      if (current === key && text.trim() !== "") found(names[key]!, text.trim());
      current = undefined;
    },
  });
}

/** Metadata in an Office Open XML package: core, extended and custom properties (ECMA-376 Part 2, 11). */
export function ooxmlMetadata(zip: ZipArchive): Finding[] {
  const findings: Finding[] = [];
  const add = (part: string) => (label: string, value: string) =>
    findings.push({ kind: "metadata", where: `${label} (${part})`, detail: excerpt(value) });
  simpleValues(zip, "docProps/core.xml", coreProperties, add("docProps/core.xml"));
  simpleValues(zip, "docProps/app.xml", appProperties, add("docProps/app.xml"));
  if (zip.entries.has("docProps/custom.xml")) {
    let property: string | undefined;
    let value = "";
    parseXmlPart(zip, "docProps/custom.xml", {
      open(name, attributes) {
        if (local(name) === "property") {
          property = attributes.name ?? "unnamed";
          value = "";
        }
      },
      text(text) {
        if (property) value += text;
      },
      close(name) {
        if (local(name) === "property" && property) {
          findings.push({ kind: "metadata", where: `custom property ${property}`, detail: excerpt(value) });
          property = undefined;
        }
      },
    });
  }
  return findings;
}

/** Metadata in an OpenDocument package (`meta.xml`, ISO/IEC 26300 part 3, 4): people, keywords, user fields. */
export function odfMetadata(zip: ZipArchive): Finding[] {
  const findings: Finding[] = [];
  const names: Record<string, string> = {
    "initial-creator": "author",
    creator: "last modified by",
    keyword: "keywords",
    description: "description",
    subject: "subject",
    "printed-by": "printed by",
  };
  if (!zip.entries.has("meta.xml")) return findings;
  let current: string | undefined;
  let text = "";
  parseXmlPart(zip, "meta.xml", {
    open(name, attributes) {
      const key = local(name);
      if (key === "user-defined") current = `custom property ${attributes["meta:name"] ?? "unnamed"}`;
      else current = key in names ? names[key] : undefined;
      text = "";
    },
    text(value) {
      if (current) text += value;
    },
    close() {
      if (current && text.trim() !== "")
        findings.push({ kind: "metadata", where: `${current} (meta.xml)`, detail: excerpt(text) });
      current = undefined;
    },
  });
  return findings;
}

/** Whether a part of an Office package is macro code (VBA projects, ECMA-376 Part 1, 15.2.15). */
export function isMacroPart(name: string): boolean {
  return (
    /(^|\/)vbaProject\.bin$/i.test(name) ||
    /(^|\/)vbaData\.xml$/i.test(name) ||
    /^Basic\//.test(name) ||
    /^Scripts\//.test(name)
  );
}

/** Whether a part is an embedded object (OLE objects, packages, ActiveX controls) rather than the file's own. */
export function isEmbeddedPart(name: string): boolean {
  if (/\.rels$/.test(name)) return false;
  return (
    /^(xl|word|ppt)\/(embeddings|activeX)\/[^/]+$/.test(name) ||
    /^Object \d+\//.test(name) ||
    /^ObjectReplacements\//.test(name)
  );
}

/** An Office package's properties, macro code and embedded files (each embedded file to be inspected in turn). */
export function ooxmlPackageFindings(zip: ZipArchive): ContainerInspection {
  const findings = ooxmlMetadata(zip);
  const embedded: ContainerInspection["embedded"] = [];
  for (const part of zip.entries.keys()) {
    if (isMacroPart(part)) findings.push({ kind: "macro", where: part, detail: "macro code (VBA project)" });
    else if (isEmbeddedPart(part)) {
      findings.push({
        kind: "embedded-object",
        where: part,
        detail: `embedded file ${part.replace(/^.*\//, "")}`,
      });
      const bytes = zip.read(part);
      if (bytes) embedded.push({ name: part, bytes });
    }
  }
  return { findings, embedded };
}
