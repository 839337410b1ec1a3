import { altText, cleanPicture, cropPicture, pictureFormat } from "./images.ts";
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

/** The names of attributes that point at a relationship (`r:embed`, `r:id`, `r:link`, `r:pict`…). */
function referencedIds(element: XmlElement, into = new Set<string>()): Set<string> {
  for (const [name, value] of Object.entries(element.attributes)) if (name.startsWith("r:")) into.add(value);
  for (const child of children(element)) referencedIds(child, into);
  return into;
}

/** A picture redrawn as PNG in the copy (GIF, BMP, TIFF) gets the PNG extension. */
function copiedPictureName(zip: ZipArchive, part: string): string {
  const format = pictureFormat(part, zip.read(part) ?? new Uint8Array());
  return format === "gif" || format === "bmp" || format === "tiff"
    ? part.replace(/(\.[^./]*)?$/, ".png")
    : part;
}

/** Alternative text stays for screen readers; a file path Office wrote as a description does not. */
function withAltText(element: XmlElement): XmlElement {
  const attributes = { ...element.attributes };
  for (const name of ["descr", "title"])
    if (attributes[name] !== undefined) {
      const text = altText(attributes[name]!);
      if (text) attributes[name] = text;
      else delete attributes[name];
    }
  return {
    ...element,
    attributes,
    children: element.children.map((child) => (typeof child === "string" ? child : withAltText(child))),
  };
}

/**
 * A clean copy of a PPTX (or PPTM): the visible slides and what they are drawn with, nothing else. A picture
 * that no kept shape shows (an object's preview, an SVG whose PNG copy is shown) is not copied; a picture
 * that is shown is cleaned of its metadata, and a metafile refuses the copy by name.
 */
export async function cleanPptx(zip: ZipArchive): Promise<Uint8Array> {
  const root = readRelationships(zip, "");
  const main = root?.list.find((rel) => rel.type === "officeDocument" && !rel.external)?.target;
  if (!main || !zip.entries.has(main)) throw new Error("the presentation has no main part");
  const out = new Map<string, string | Uint8Array>();
  const queue = [main];
  const seen = new Set(queue);
  const pictures = new Set<string>();
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
    }
    const droppedIds = new Set((rels?.list ?? []).map((rel) => rel.id).filter((id) => !kept.has(id)));
    if (/\.xml$/i.test(part)) {
      const tree = filterXmlTree(readXmlTree(zip, part), (element) => {
        const name = local(element.name);
        if (droppedElements.has(name)) return true;
        if (shapeElements.has(name)) return ownHidden(element) || holdsObject(element, droppedIds);
        return referencesDropped(element, droppedIds);
      });
      if (rels) await applyCrops(zip, tree, rels, kept, out);
      // A picture relationship nothing kept refers to goes: an object's preview, an SVG behind its PNG copy.
      const referenced = referencedIds(tree);
      for (const rel of rels?.list ?? [])
        if (rel.type === "image" && !referenced.has(rel.id)) kept.delete(rel.id);
      out.set(part, writeXmlTree(withAltText(tree)));
    } else {
      const bytes = zip.read(part)!;
      // Pictures lose their camera, author and GPS metadata like any image that goes out.
      if (pictures.has(part)) out.set(copiedPictureName(zip, part), (await cleanPicture(part, bytes)).bytes);
      else out.set(part, bytes);
    }
    for (const rel of rels?.list ?? [])
      if (kept.has(rel.id) && !rel.external && !seen.has(rel.target)) {
        seen.add(rel.target);
        queue.push(rel.target);
        if (rel.type === "image") pictures.add(rel.target);
      }
    if (rels)
      out.set(
        relsPartOf(part),
        writeXmlTree(
          renameTargets(
            filterXmlTree(rels.tree, (element) => !kept.has(element.attributes.Id ?? "")),
            rels.list.filter((rel) => kept.has(rel.id) && rel.type === "image" && !rel.external),
            (target) => copiedPictureName(zip, target),
          ),
        ),
      );
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

/** Every element of a tree, depth first. */
function* elements(element: XmlElement): Generator<XmlElement> {
  yield element;
  for (const child of children(element)) yield* elements(child);
}

/**
 * Cropped pictures (`a:srcRect`, ECMA-376 Part 1, 20.1.8.55) keep the cut-off edges in the image: each is
 * redrawn to its crop as a new PNG part with a relationship of its own, and the crop taken off the shape.
 */
async function applyCrops(
  zip: ZipArchive,
  tree: XmlElement,
  rels: { tree: XmlElement; list: Relationship[] },
  kept: Set<string>,
  out: Map<string, string | Uint8Array>,
): Promise<void> {
  let count = 0;
  for (const fill of elements(tree)) {
    if (local(fill.name) !== "blipFill") continue;
    const blip = children(fill).find((child) => local(child.name) === "blip");
    const rect = children(fill).find((child) => local(child.name) === "srcRect");
    const rel = rels.list.find((each) => each.id === blip?.attributes["r:embed"]);
    if (!blip || !rect || !rel || rel.external || rel.type !== "image" || !zip.entries.has(rel.target))
      continue;
    const share = (value: string | undefined) => Math.max(0, Number(value) || 0) / 100_000;
    const crop = {
      left: share(rect.attributes.l),
      top: share(rect.attributes.t),
      right: share(rect.attributes.r),
      bottom: share(rect.attributes.b),
    };
    if (crop.left + crop.top + crop.right + crop.bottom === 0) continue;
    const bytes = zip.read(rel.target)!;
    const format = pictureFormat(rel.target, bytes);
    if (format === "emf" || format === "wmf") continue; // refused when the picture itself is copied
    const picture = await cropPicture(rel.target, bytes, crop);
    const id = `rIdCrop${++count}`;
    const suffix = `-crop${count}.png`;
    out.set(rel.target.replace(/(\.[^./]*)?$/, suffix), picture.bytes);
    rels.tree.children.push({
      name: rel.element.name,
      attributes: {
        Id: id,
        Type: rel.element.attributes.Type ?? "",
        Target: (rel.element.attributes.Target ?? "").replace(/(\.[^./]*)?$/, suffix),
      },
      children: [],
    });
    kept.add(id);
    blip.attributes = { ...blip.attributes, "r:embed": id };
    fill.children = fill.children.filter((child) => child !== rect);
  }
}

/** The relationships part with each picture redrawn as PNG pointing at its new name. */
function renameTargets(
  tree: XmlElement,
  pictures: readonly Relationship[],
  rename: (target: string) => string,
): XmlElement {
  const renamed = new Map(
    pictures
      .filter((rel) => rename(rel.target) !== rel.target)
      .map((rel) => [rel.id, rename(rel.target).replace(/^.*\//, "")]),
  );
  if (renamed.size === 0) return tree;
  return {
    ...tree,
    children: tree.children.map((child) => {
      if (typeof child === "string" || !renamed.has(child.attributes.Id ?? "")) return child;
      const target = child.attributes.Target ?? "";
      return {
        ...child,
        attributes: {
          ...child.attributes,
          Target: target.replace(/[^/]*$/, renamed.get(child.attributes.Id!)!),
        },
      };
    }),
  };
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
  const used = new Set([...parts].map((part) => /\.([^./]+)$/.exec(part)?.[1]?.toLowerCase()));
  for (const [extension, type] of [
    ["rels", "application/vnd.openxmlformats-package.relationships+xml"],
    ["xml", "application/xml"],
    ["png", "image/png"],
    ["jpeg", "image/jpeg"],
    ["jpg", "image/jpeg"],
    ["svg", "image/svg+xml"],
  ] as const)
    if (!defaults.has(extension) && (extension === "rels" || extension === "xml" || used.has(extension)))
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
