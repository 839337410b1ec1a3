import { escapeXml } from "./xml.ts";
import { writeZip } from "./zip.ts";

/** What a clean document keeps: its visible text as paragraphs, headings and tables. */
export type Block =
  | {
      kind: "paragraph";
      text: string;
      heading?: number;
      /** Footnote and endnote marks: where in the text (characters before) and the note's number. */
      notes?: { at: number; kind: "footnote" | "endnote"; number: number }[];
      /** Pictures: where in the text (characters before) and which. */
      pictures?: { at: number; picture: Picture }[];
      /** Set on the last paragraph of a section other than the last (the section's index). */
      section?: number;
    }
  | {
      kind: "table";
      rows: string[][];
      /** Pictures in cells: the cell, where in its text (characters before) and which. */
      pictures?: { row: number; column: number; at: number; picture: Picture }[];
    };

export type TrackedChanges = "accept" | "reject";

/** A picture on the page: which of the document's images, its size (EMU) and its alternative text. */
export interface Picture {
  image: number;
  width: number;
  height: number;
  description: string;
}

/** An image a picture shows, cleaned of its metadata, as the copy holds it. */
export interface DocumentImage {
  bytes: Uint8Array;
  format: "jpeg" | "png" | "svg";
}

export interface HeaderFooter {
  type: "default" | "first" | "even";
  blocks: Block[];
}

/** A section: its headers and footers by the pages they show on, its page size and margins (twips). */
export interface Section {
  headers: HeaderFooter[];
  footers: HeaderFooter[];
  titlePage: boolean;
  page?: { width: number; height: number; landscape: boolean };
  margins?: Record<"top" | "right" | "bottom" | "left" | "header" | "footer" | "gutter", number>;
  /** How the section starts: on a new page (the default), continuous, or on an even or odd page. */
  start?: "continuous" | "evenPage" | "oddPage" | "nextColumn";
}

/** A Word document's visible content: body, sections with their headers and footers, notes and pictures. */
export interface VisibleDocument {
  body: Block[];
  /** In order; the last is the body's own (the others end at a paragraph with their index). */
  sections: Section[];
  /** Whether even pages have headers and footers of their own (`w:evenAndOddHeaders`). */
  evenAndOddHeaders: boolean;
  /** The notes' content, numbered from 1 in order. */
  footnotes: Block[][];
  endnotes: Block[][];
  /** The images the pictures show, by `Picture.image`: the original's part and the crop to apply. */
  images: { part: string; crop?: { left: number; top: number; right: number; bottom: number } }[];
}

const textRun = (text: string) =>
  text === "" ? "" : `<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`;
const noteMark = (kind: "footnote" | "endnote", number?: number) =>
  `<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>${number === undefined ? `<w:${kind}Ref/>` : `<w:${kind}Reference w:id="${number}"/>`}</w:r>`;

/** What writing one part needs from the document: a relationship for each image, a new id for each picture. */
interface PartWriter {
  imageRelationship(image: number): string;
  pictureId(): number;
  section(index: number): string;
}

/** An inline picture (ECMA-376 Part 1, 20.4.2.8) showing one image at its size, with its alternative text. */
function pictureRun(picture: Picture, writer: PartWriter): string {
  const id = writer.pictureId();
  const size = `cx="${Math.max(0, Math.round(picture.width))}" cy="${Math.max(0, Math.round(picture.height))}"`;
  const description = picture.description ? ` descr="${escapeXml(picture.description)}"` : "";
  return `<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent ${size}/><wp:docPr id="${id}" name="Picture ${id}"${description}/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="${id}" name="Picture ${id}"${description}/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="${writer.imageRelationship(picture.image)}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext ${size}/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`;
}

function docxParagraph(block: Extract<Block, { kind: "paragraph" }>, writer: PartWriter, lead = ""): string {
  const style = block.heading ? `<w:pStyle w:val="Heading${block.heading}"/>` : "";
  const section = block.section !== undefined ? writer.section(block.section) : "";
  const properties = style || section ? `<w:pPr>${style}${section}</w:pPr>` : "";
  const marks = [
    ...(block.notes ?? []).map((note) => ({ at: note.at, xml: () => noteMark(note.kind, note.number) })),
    ...(block.pictures ?? []).map((placed) => ({
      at: placed.at,
      xml: () => pictureRun(placed.picture, writer),
    })),
  ].sort((a, b) => a.at - b.at);
  const runs: string[] = [lead];
  let from = 0;
  for (const mark of marks) {
    runs.push(textRun(block.text.slice(from, mark.at)), mark.xml());
    from = mark.at;
  }
  runs.push(textRun(block.text.slice(from)));
  return `<w:p>${properties}${runs.join("")}</w:p>`;
}

function docxBlocks(blocks: readonly Block[], writer: PartWriter, lead = ""): string {
  const out = blocks.map((block, index) =>
    block.kind === "paragraph"
      ? docxParagraph(block, writer, index === 0 ? lead : "")
      : `<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>${block.rows
          .map(
            (row, r) =>
              `<w:tr>${row
                .map((cell, c) => {
                  const pictures = (block.pictures ?? []).filter(
                    (placed) => placed.row === r && placed.column === c,
                  );
                  const paragraph = docxParagraph(
                    { kind: "paragraph", text: cell, ...(pictures.length > 0 ? { pictures } : {}) },
                    writer,
                  );
                  return `<w:tc>${paragraph}</w:tc>`;
                })
                .join("")}</w:tr>`,
          )
          .join("")}</w:tbl>`,
  );
  // A cell, header or note must end with a paragraph (ECMA-376 Part 1, 17.4.66).
  if (blocks.length === 0 || blocks[blocks.length - 1]!.kind === "table") out.push(`<w:p>${lead}</w:p>`);
  return out.join("");
}

const wordNamespaces =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"';
const xmlHead = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const officeRelationship = (type: string) =>
  `http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}`;
const wordType = (type: string) =>
  `application/vnd.openxmlformats-officedocument.wordprocessingml.${type}+xml`;
const relationshipsPart = (rels: readonly string[]) =>
  `${xmlHead}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join("")}</Relationships>`;
const imageTypes: Record<DocumentImage["format"], string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  svg: "image/svg+xml",
};

/** The notes part: Word's two separator notes, then each note with its mark. */
function notesPart(kind: "footnote" | "endnote", notes: readonly Block[][], writer: PartWriter): string {
  const separators = `<w:${kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:${kind}><w:${kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:${kind}>`;
  const body = notes
    .map(
      (blocks, index) =>
        `<w:${kind} w:id="${index + 1}">${docxBlocks(blocks, writer, noteMark(kind))}</w:${kind}>`,
    )
    .join("");
  return `${xmlHead}<w:${kind}s ${wordNamespaces}>${separators}${body}</w:${kind}s>`;
}

const defaultSection: Section = { headers: [], footers: [], titlePage: false };

/**
 * A new DOCX with the visible content only: no comments, revisions, hidden runs, properties or objects.
 * `images` are the cleaned images of `document.images`, in the same order.
 */
export function writeDocx(document: VisibleDocument, images: readonly DocumentImage[] = []): Uint8Array {
  const parts: [string, string | Uint8Array][] = [];
  const documentRels: string[] = [
    `<Relationship Id="rId1" Type="${officeRelationship("styles")}" Target="styles.xml"/>`,
    `<Relationship Id="rId2" Type="${officeRelationship("settings")}" Target="settings.xml"/>`,
  ];
  const overrides: string[] = [
    `<Override PartName="/word/document.xml" ContentType="${wordType("document.main")}"/>`,
    `<Override PartName="/word/styles.xml" ContentType="${wordType("styles")}"/>`,
    `<Override PartName="/word/settings.xml" ContentType="${wordType("settings")}"/>`,
  ];
  const mediaNames = new Map<number, string>();
  const media = (image: number) => {
    let name = mediaNames.get(image);
    if (!name) {
      const cleaned = images[image];
      if (!cleaned) throw new Error(`image ${image} of the document was not given to the writer`);
      name = `media/image${mediaNames.size + 1}.${cleaned.format}`;
      mediaNames.set(image, name);
      parts.push([`word/${name}`, cleaned.bytes]);
    }
    return name;
  };
  let pictureIds = 0;
  const sectionXml: string[] = [];
  /** A writer for one part, with the part's own relationships. */
  const partWriter = (rels: string[]): PartWriter => {
    const imageRels = new Map<number, string>();
    return {
      imageRelationship(image) {
        let id = imageRels.get(image);
        if (!id) {
          id = `rId${rels.length + 1}`;
          rels.push(
            `<Relationship Id="${id}" Type="${officeRelationship("image")}" Target="${media(image)}"/>`,
          );
          imageRels.set(image, id);
        }
        return id;
      },
      pictureId: () => ++pictureIds,
      section: (index) => sectionXml[index] ?? "",
    };
  };
  const add = (name: string, type: string, contentType: string, xml: (writer: PartWriter) => string) => {
    const id = `rId${documentRels.length + 1}`;
    documentRels.push(`<Relationship Id="${id}" Type="${officeRelationship(type)}" Target="${name}"/>`);
    overrides.push(`<Override PartName="/word/${name}" ContentType="${wordType(contentType)}"/>`);
    const rels: string[] = [];
    parts.push([`word/${name}`, xml(partWriter(rels))]);
    if (rels.length > 0) parts.push([`word/_rels/${name}.rels`, relationshipsPart(rels)]);
    return id;
  };
  // Each header and footer part once, however many sections show it; numbered headers first, then footers.
  const written = new Map<Block[], string>();
  const counts = { header: 0, footer: 0 };
  const sections = document.sections.length > 0 ? document.sections : [defaultSection];
  for (const kind of ["header", "footer"] as const)
    for (const section of sections)
      for (const part of kind === "header" ? section.headers : section.footers)
        if (!written.has(part.blocks)) {
          const tag = kind === "header" ? "hdr" : "ftr";
          written.set(
            part.blocks,
            add(
              `${kind}${++counts[kind]}.xml`,
              kind,
              kind,
              (writer) =>
                `${xmlHead}<w:${tag} ${wordNamespaces}>${docxBlocks(part.blocks, writer)}</w:${tag}>`,
            ),
          );
        }
  for (const section of sections) {
    const references = [
      ...section.headers.map(
        (part) => `<w:headerReference w:type="${part.type}" r:id="${written.get(part.blocks)}"/>`,
      ),
      ...section.footers.map(
        (part) => `<w:footerReference w:type="${part.type}" r:id="${written.get(part.blocks)}"/>`,
      ),
    ].join("");
    const page = section.page ?? { width: 11906, height: 16838, landscape: false };
    const m = section.margins ?? {
      top: 1440,
      right: 1440,
      bottom: 1440,
      left: 1440,
      header: 708,
      footer: 708,
      gutter: 0,
    };
    sectionXml.push(
      `<w:sectPr>${references}${section.start ? `<w:type w:val="${section.start}"/>` : ""}<w:pgSz w:w="${page.width}" w:h="${page.height}"${page.landscape ? ' w:orient="landscape"' : ""}/><w:pgMar w:top="${m.top}" w:right="${m.right}" w:bottom="${m.bottom}" w:left="${m.left}" w:header="${m.header}" w:footer="${m.footer}" w:gutter="${m.gutter}"/>${section.titlePage ? "<w:titlePg/>" : ""}</w:sectPr>`,
    );
  }
  if (document.footnotes.length > 0)
    add("footnotes.xml", "footnotes", "footnotes", (writer) =>
      notesPart("footnote", document.footnotes, writer),
    );
  if (document.endnotes.length > 0)
    add("endnotes.xml", "endnotes", "endnotes", (writer) => notesPart("endnote", document.endnotes, writer));
  // The body's own section is the last one no paragraph ends.
  const ended = new Set(
    document.body.flatMap((block) =>
      block.kind === "paragraph" && block.section !== undefined ? [block.section] : [],
    ),
  );
  let last = sections.length - 1;
  while (last > 0 && ended.has(last)) last--;
  const body = document.body.length > 0 ? docxBlocks(document.body, partWriter(documentRels)) : "<w:p/>";
  const headingStyles = [1, 2, 3, 4, 5, 6]
    .map(
      (level) =>
        `<w:style w:type="paragraph" w:styleId="Heading${level}"><w:name w:val="heading ${level}"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="${level - 1}"/></w:pPr><w:rPr><w:b/><w:sz w:val="${Math.max(22, 36 - level * 4)}"/></w:rPr></w:style>`,
    )
    .join("");
  const styles = `${xmlHead}<w:styles ${wordNamespaces}><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>${headingStyles}<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr></w:style></w:styles>`;
  const settings = `${xmlHead}<w:settings ${wordNamespaces}>${document.evenAndOddHeaders ? "<w:evenAndOddHeaders/>" : ""}</w:settings>`;
  const formats = new Set([...mediaNames.keys()].map((image) => images[image]!.format));
  const defaults = [...formats]
    .map((format) => `<Default Extension="${format}" ContentType="${imageTypes[format]}"/>`)
    .join("");
  return writeZip([
    [
      "[Content_Types].xml",
      `${xmlHead}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${defaults}${overrides.join("")}</Types>`,
    ],
    [
      "_rels/.rels",
      `${xmlHead}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${officeRelationship("officeDocument")}" Target="word/document.xml"/></Relationships>`,
    ],
    [
      "word/document.xml",
      `${xmlHead}<w:document ${wordNamespaces}><w:body>${body}${sectionXml[last]}</w:body></w:document>`,
    ],
    ["word/_rels/document.xml.rels", relationshipsPart(documentRels)],
    ["word/styles.xml", styles],
    ["word/settings.xml", settings],
    ...parts,
  ]);
}

/** A text document's visible content as OpenDocument keeps it: one page style's headers and footers. */
export interface TextDocument {
  body: Block[];
  headers: HeaderFooter[];
  footers: HeaderFooter[];
  /** The page style's size, orientation and margins, as ODF lengths (`21cm`). */
  page?: Partial<Record<"width" | "height" | "top" | "bottom" | "left" | "right", string>> & {
    landscape?: boolean;
  };
  /** The images the pictures show, by `Picture.image`: the original's part and what its frame cuts off (EMU). */
  images: { part: string; clip?: { top: number; right: number; bottom: number; left: number } }[];
}

const odfLength = /^\d+(\.\d+)?(cm|mm|in|pt|pc|px)$/;
const emuToCm = (emu: number) => `${(Math.max(0, emu) / 360_000).toFixed(3)}cm`;

/** An ODF paragraph with its pictures in place, each a frame drawn as a character (ODF 1.3 part 3, 10.4.2). */
function odtParagraph(
  block: { text: string; heading?: number; pictures?: { at: number; picture: Picture }[] },
  media: (image: number) => string,
  pictureNumber: () => number,
): string {
  const parts: string[] = [];
  let from = 0;
  for (const { at, picture } of [...(block.pictures ?? [])].sort((a, b) => a.at - b.at)) {
    parts.push(escapeXml(block.text.slice(from, at)));
    const number = pictureNumber();
    parts.push(
      `<draw:frame draw:name="Picture ${number}" text:anchor-type="as-char" svg:width="${emuToCm(picture.width)}" svg:height="${emuToCm(picture.height)}"><draw:image xlink:href="${media(picture.image)}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>${picture.description ? `<svg:desc>${escapeXml(picture.description)}</svg:desc>` : ""}</draw:frame>`,
    );
    from = at;
  }
  parts.push(escapeXml(block.text.slice(from)));
  return block.heading
    ? `<text:h text:outline-level="${block.heading}">${parts.join("")}</text:h>`
    : `<text:p>${parts.join("")}</text:p>`;
}

const odfTextNamespaces =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3"';

/**
 * A new ODT with the visible text, pictures (their images already cleaned, `images` in the order of
 * `document.images`), and the page style's headers and footers: no properties, settings, scripts or objects.
 */
export function writeOdt(document: TextDocument, images: readonly DocumentImage[] = []): Uint8Array {
  const mimetype = "application/vnd.oasis.opendocument.text";
  const mediaNames = new Map<number, string>();
  const media = (image: number) => {
    let name = mediaNames.get(image);
    if (!name) {
      const cleaned = images[image];
      if (!cleaned) throw new Error(`image ${image} of the document was not given to the writer`);
      name = `Pictures/image${mediaNames.size + 1}.${cleaned.format}`;
      mediaNames.set(image, name);
    }
    return name;
  };
  let pictures = 0;
  const pictureNumber = () => ++pictures;
  const blocksXml = (blocks: readonly Block[]) =>
    blocks
      .map((block) =>
        block.kind === "paragraph"
          ? odtParagraph(block, media, pictureNumber)
          : `<table:table><table:table-column table:number-columns-repeated="${Math.max(1, ...block.rows.map((row) => row.length))}"/>${block.rows
              .map(
                (row, r) =>
                  `<table:table-row>${row.map((cell, c) => `<table:table-cell office:value-type="string">${odtParagraph({ text: cell, pictures: (block.pictures ?? []).filter((placed) => placed.row === r && placed.column === c) }, media, pictureNumber)}</table:table-cell>`).join("")}</table:table-row>`,
              )
              .join("")}</table:table>`,
      )
      .join("");
  const body = blocksXml(document.body);
  const region = (element: string, list: readonly HeaderFooter[], type: HeaderFooter["type"]) => {
    const part = list.find((each) => each.type === type);
    return part ? `<style:${element}>${blocksXml(part.blocks) || "<text:p/>"}</style:${element}>` : "";
  };
  const regions = (["header", "footer"] as const)
    .map((kind) => {
      const list = kind === "header" ? document.headers : document.footers;
      return `${region(kind, list, "default")}${region(`${kind}-left`, list, "even")}${region(`${kind}-first`, list, "first")}`;
    })
    .join("");
  const page = document.page ?? {};
  const pageProperties = (
    [
      ["fo:page-width", page.width],
      ["fo:page-height", page.height],
      ["fo:margin-top", page.top],
      ["fo:margin-bottom", page.bottom],
      ["fo:margin-left", page.left],
      ["fo:margin-right", page.right],
    ] as const
  )
    .filter(([, value]) => value && odfLength.test(value))
    .map(([name, value]) => ` ${name}="${value}"`)
    .join("");
  const orientation = ` style:print-orientation="${page.landscape ? "landscape" : "portrait"}"`;
  const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
  const content = `${head}<office:document-content ${odfTextNamespaces}><office:automatic-styles/><office:body><office:text>${body}</office:text></office:body></office:document-content>`;
  const styles = `${head}<office:document-styles ${odfTextNamespaces}><office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties${pageProperties}${orientation}/></style:page-layout></office:automatic-styles><office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">${regions}</style:master-page></office:master-styles></office:document-styles>`;
  const pictureTypes: Record<DocumentImage["format"], string> = {
    jpeg: "image/jpeg",
    png: "image/png",
    svg: "image/svg+xml",
  };
  const manifest = `${head}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="${mimetype}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>${[
    ...mediaNames,
  ]
    .map(
      ([image, name]) =>
        `<manifest:file-entry manifest:full-path="${name}" manifest:media-type="${pictureTypes[images[image]!.format]}"/>`,
    )
    .join("")}</manifest:manifest>`;
  return writeZip([
    ["mimetype", mimetype],
    ["content.xml", content],
    ["styles.xml", styles],
    ...[...mediaNames].map(([image, name]): [string, Uint8Array] => [name, images[image]!.bytes]),
    ["META-INF/manifest.xml", manifest],
  ]);
}
