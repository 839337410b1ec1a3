import { cleanJpeg, cleanPng, isJpeg, isPng } from "./images.ts";
import { filterXmlTree, local, readXmlTree, resolvePart, writeXmlTree, type XmlElement } from "./xml.ts";
import { writeZip, type ZipArchive } from "./zip.ts";

// The clean copy of a presentation keeps what the audience sees: the visible slides with their shapes, text,
// pictures, tables and charts, and the layouts, masters and theme they are drawn on. Speaker notes, comments,
// hidden slides and shapes, properties, tags, macros and embedded objects go (ICO, "How to disclose
// information safely", 2018). Only parts reached from the presentation through an allowed relationship are
// copied at all, so a part nobody thought of is left behind rather than carried along.

/** The relationships a clean presentation follows (ECMA-376 Part 1, 13 and 15.2); every other is dropped. */
const keptRelationships = new Set([
  "officeDocument",
  "slide",
  "slideLayout",
  "slideMaster",
  "theme",
  "image",
  "presProps",
  "viewProps",
  "tableStyles",
  "hyperlink",
  "font",
  "chart",
  "chartStyle",
  "chartColorStyle",
  "diagramData",
  "diagramLayout",
  "diagramQuickStyle",
  "diagramColors",
  "diagramDrawing",
]);

/** Elements that hold no visible content and may hold names, data or links: taken out wherever they are. */
const droppedElements = new Set([
  "custDataLst", // tags: arbitrary data attached by add-ins
  "extLst", // extensions: section names, comment anchors, author ids
  "timing", // animations name shapes by id, and hidden shapes are removed
  "notesMasterIdLst",
  "handoutMasterIdLst",
  "custShowLst",
  "modifyVerifier", // a password hash
  "externalData", // a chart's embedded workbook
]);

/** The elements that are one shape on a slide: removed whole when hidden or holding an object. */
const shapeElements = new Set([
  "sp",
  "pic",
  "graphicFrame",
  "grpSp",
  "cxnSp",
  "contentPart",
  "AlternateContent",
]);

/** Elements that are an embedded or linked object rather than drawing: their shape goes with them. */
const objectElements = new Set(["oleObj", "control", "contentPart", "videoFile", "audioFile", "media"]);

const mainContentType = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml";

function children(element: XmlElement): XmlElement[] {
  return element.children.filter((child): child is XmlElement => typeof child !== "string");
}

/** Whether a shape's own non-visual properties hide it (`<p:cNvPr hidden="1">`). */
function ownHidden(shape: XmlElement): boolean {
  const properties = children(shape).find((child) => local(child.name).startsWith("nv"));
  const cNvPr = properties && children(properties).find((child) => local(child.name) === "cNvPr");
  const hidden = cNvPr?.attributes.hidden;
  return hidden === "1" || hidden === "true";
}

function holdsObject(element: XmlElement, droppedIds: ReadonlySet<string>): boolean {
  if (objectElements.has(local(element.name))) return true;
  if (local(element.name) === "blip" && referencesDropped(element, droppedIds)) return true;
  return children(element).some((child) => holdsObject(child, droppedIds));
}

function referencesDropped(element: XmlElement, droppedIds: ReadonlySet<string>): boolean {
  return Object.entries(element.attributes).some(
    ([name, value]) => name.startsWith("r:") && droppedIds.has(value),
  );
}

interface Relationship {
  element: XmlElement;
  id: string;
  type: string;
  target: string;
  external: boolean;
}

/** The relationships part of a part (`""` for the package's own). */
function relsPartOf(part: string): string {
  return part === "" ? "_rels/.rels" : part.replace(/([^/]+)$/, "_rels/$1.rels");
}

function readRelationships(
  zip: ZipArchive,
  part: string,
): { tree: XmlElement; list: Relationship[] } | undefined {
  const relsPart = relsPartOf(part);
  if (!zip.entries.has(relsPart)) return undefined;
  const tree = readXmlTree(zip, relsPart);
  const base = part.replace(/[^/]*$/, "");
  const list = children(tree)
    .filter((element) => local(element.name) === "Relationship")
    .map((element) => {
      const external = element.attributes.TargetMode === "External";
      const target = element.attributes.Target ?? "";
      return {
        element,
        id: element.attributes.Id ?? "",
        type: (element.attributes.Type ?? "").replace(/^.*\//, ""),
        target: external ? target : resolvePart(base, target),
        external,
      };
    });
  return { tree, list };
}

function isHiddenSlide(zip: ZipArchive, part: string): boolean {
  const show = readXmlTree(zip, part).attributes.show;
  return show === "0" || show === "false";
}

/** A clean copy of a PPTX (or PPTM): the visible slides and what they are drawn with, nothing else. */
export function cleanPptx(zip: ZipArchive): Uint8Array {
  const root = readRelationships(zip, "");
  const main = root?.list.find((rel) => rel.type === "officeDocument" && !rel.external)?.target;
  if (!main || !zip.entries.has(main)) throw new Error("the presentation has no main part");
  const out = new Map<string, string | Uint8Array>();
  const queue = [main];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const part = queue.shift()!;
    const rels = readRelationships(zip, part);
    const kept = new Set<string>();
    for (const rel of rels?.list ?? []) {
      if (rel.external) {
        // Links the reader can follow stay; a linked picture or file on someone's drive does not.
        if (rel.type === "hyperlink") kept.add(rel.id);
        continue;
      }
      if (!keptRelationships.has(rel.type) || !zip.entries.has(rel.target)) continue;
      if (rel.type === "slide" && isHiddenSlide(zip, rel.target)) continue;
      kept.add(rel.id);
      if (!seen.has(rel.target)) {
        seen.add(rel.target);
        queue.push(rel.target);
      }
    }
    const droppedIds = new Set((rels?.list ?? []).map((rel) => rel.id).filter((id) => !kept.has(id)));
    if (rels)
      out.set(
        relsPartOf(part),
        writeXmlTree(filterXmlTree(rels.tree, (element) => !kept.has(element.attributes.Id ?? ""))),
      );
    if (/\.xml$/i.test(part)) {
      const tree = filterXmlTree(readXmlTree(zip, part), (element) => {
        const name = local(element.name);
        if (droppedElements.has(name)) return true;
        if (shapeElements.has(name)) return ownHidden(element) || holdsObject(element, droppedIds);
        return referencesDropped(element, droppedIds);
      });
      out.set(part, writeXmlTree(tree));
    } else {
      const bytes = zip.read(part)!;
      // Pictures lose their camera, author and GPS metadata like any image that goes out.
      out.set(part, isJpeg(bytes) ? cleanJpeg(bytes) : isPng(bytes) ? cleanPng(bytes) : bytes);
    }
  }
  return writeZip([
    ["[Content_Types].xml", contentTypes(zip, main, new Set(out.keys()))],
    [
      "_rels/.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${main}"/></Relationships>`,
    ],
    ...out,
  ]);
}

/** The content types of the kept parts only; a macro-enabled presentation becomes a plain one. */
function contentTypes(zip: ZipArchive, main: string, parts: ReadonlySet<string>): string {
  const tree = zip.entries.has("[Content_Types].xml")
    ? readXmlTree(zip, "[Content_Types].xml")
    : { name: "Types", attributes: {}, children: [] };
  const filtered = filterXmlTree(tree, (element) => {
    if (local(element.name) === "Default") return /^bin$/i.test(element.attributes.Extension ?? "");
    if (local(element.name) !== "Override") return false;
    const part = (element.attributes.PartName ?? "").replace(/^\//, "");
    return part === main || !parts.has(part);
  });
  filtered.attributes = { xmlns: "http://schemas.openxmlformats.org/package/2006/content-types" };
  const defaults = new Set(
    children(filtered).map((element) => (element.attributes.Extension ?? "").toLowerCase()),
  );
  for (const [extension, type] of [
    ["rels", "application/vnd.openxmlformats-package.relationships+xml"],
    ["xml", "application/xml"],
  ] as const)
    if (!defaults.has(extension))
      filtered.children.unshift({
        name: "Default",
        attributes: { Extension: extension, ContentType: type },
        children: [],
      });
  filtered.children.push({
    name: "Override",
    attributes: { PartName: `/${main}`, ContentType: mainContentType },
    children: [],
  });
  return writeXmlTree(filtered);
}
