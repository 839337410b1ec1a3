// Files made the way Excel, Word and LibreOffice write them, each part written here, with every kind of
// hidden data planted as a string starting PLANT_ (so a test can look for any of them in every part).
import { strToU8, zipSync } from "fflate";

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${body}`;
const zip = (parts: Record<string, string | Uint8Array>) =>
  zipSync(
    Object.fromEntries(
      Object.entries(parts).map(([name, content]) => [
        name,
        typeof content === "string" ? strToU8(content) : content,
      ]),
    ),
  );

const main =
  'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const rel = (id: string, type: string, target: string, external = false) =>
  `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"${external ? ' TargetMode="External"' : ""}/>`;
const rels = (...items: string[]) =>
  xml(
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${items.join("")}</Relationships>`,
  );

const docProps = {
  "docProps/core.xml": xml(
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>PLANT_AUTHOR</dc:creator><cp:lastModifiedBy>PLANT_MODIFIER</cp:lastModifiedBy><cp:keywords>PLANT_KEYWORDS</cp:keywords><dc:description>PLANT_DESCRIPTION</dc:description><dcterms:created xsi:type="dcterms:W3CDTF">2023-08-03T09:00:00Z</dcterms:created></cp:coreProperties>',
  ),
  "docProps/app.xml": xml(
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application><Company>PLANT_COMPANY</Company><Manager>PLANT_MANAGER</Manager></Properties>',
  ),
  "docProps/custom.xml": xml(
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Classification"><vt:lpwstr>PLANT_CUSTOM</vt:lpwstr></property></Properties>',
  ),
};

/** A workbook as Excel writes it: a hidden and a very hidden sheet, hidden row and column, comment, pivot cache, names, external link, properties (and macros when asked). */
export function excelWorkbook(options: { macro?: boolean; hiddenSheetName?: string } = {}): Uint8Array {
  const staff = options.hiddenSheetName ?? "StaffList";
  const strings = [
    "Visible heading",
    "PLANT_HIDDENSHEET",
    "PLANT_VERYHIDDEN",
    "PLANT_HIDDENROW",
    "PLANT_HIDDENCOLUMN",
    "Visible total",
    "After the hidden row",
  ];
  const parts: Record<string, string | Uint8Array> = {
    "[Content_Types].xml": xml(
      `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`,
    ),
    "_rels/.rels": rels(rel("rId1", "officeDocument", "xl/workbook.xml")),
    ...docProps,
    "xl/workbook.xml": xml(
      `<workbook ${main}><sheets><sheet name="Summary" sheetId="1" r:id="rId1"/><sheet name="${staff}" sheetId="2" state="hidden" r:id="rId2"/><sheet name="Secret" sheetId="3" state="veryHidden" r:id="rId3"/></sheets><definedNames><definedName name="Staff">${staff}!$A$1:$B$3</definedName><definedName name="PLANT_NAME" hidden="1">Summary!$A$1</definedName><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">Summary!$A$1:$B$3</definedName></definedNames><pivotCaches><pivotCache cacheId="1" r:id="rId6"/></pivotCaches><externalReferences><externalReference r:id="rId7"/></externalReferences></workbook>`,
    ),
    "xl/_rels/workbook.xml.rels": rels(
      rel("rId1", "worksheet", "worksheets/sheet1.xml"),
      rel("rId2", "worksheet", "worksheets/sheet2.xml"),
      rel("rId3", "worksheet", "worksheets/sheet3.xml"),
      rel("rId4", "sharedStrings", "sharedStrings.xml"),
      rel("rId5", "styles", "styles.xml"),
      rel("rId6", "pivotCacheDefinition", "pivotCache/pivotCacheDefinition1.xml"),
      rel("rId7", "externalLink", "externalLinks/externalLink1.xml"),
    ),
    "xl/sharedStrings.xml": xml(
      `<sst ${main} count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${s}</t></si>`).join("")}</sst>`,
    ),
    "xl/styles.xml": xml(
      `<styleSheet ${main}><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts><fonts count="2"><font><sz val="11"/></font><font><b/><sz val="11"/></font></fonts><cellXfs count="4"><xf numFmtId="0" fontId="0"/><xf numFmtId="14" fontId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" applyFont="1"/><xf numFmtId="164" fontId="0"/></cellXfs></styleSheet>`,
    ),
    "xl/worksheets/sheet1.xml": xml(
      `<worksheet ${main}><cols><col min="1" max="2" width="12" customWidth="1"/><col min="3" max="3" width="0" hidden="1" customWidth="1"/></cols><sheetData><row r="1"><c r="A1" t="s" s="2"><v>0</v></c><c r="B1"><v>42</v></c></row><row r="2" hidden="1"><c r="A2" t="s"><v>3</v></c></row><row r="3"><c r="A3" t="s"><v>5</v></c><c r="B3"><f>SUM(${staff}!B1:B3)</f><v>99</v></c><c r="C3" t="s"><v>4</v></c><c r="D3" s="1"><v>45142</v></c></row><row r="4"><c r="A4" t="s"><v>6</v></c><c r="B4" s="3"><v>0.25</v></c><c r="D4" t="inlineStr"><is><t>Inline visible</t></is></c></row></sheetData></worksheet>`,
    ),
    "xl/worksheets/_rels/sheet1.xml.rels": rels(
      rel("rId1", "comments", "../comments1.xml"),
      rel("rId2", "vmlDrawing", "../drawings/vmlDrawing1.vml"),
    ),
    "xl/comments1.xml": xml(
      `<comments ${main}><authors><author>PLANT_COMMENT_AUTHOR</author></authors><commentList><comment ref="B1" authorId="0"><text><r><t>PLANT_COMMENT</t></r></text></comment></commentList></comments>`,
    ),
    "xl/drawings/vmlDrawing1.vml":
      '<xml xmlns:v="urn:schemas-microsoft-com:vml"><v:shape><x:ClientData xmlns:x="urn:schemas-microsoft-com:office:excel">PLANT_VML</x:ClientData></v:shape></xml>',
    "xl/worksheets/sheet2.xml": xml(
      `<worksheet ${main}><sheetData><row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1"><v>7</v></c></row></sheetData></worksheet>`,
    ),
    "xl/worksheets/sheet3.xml": xml(
      `<worksheet ${main}><sheetData><row r="1"><c r="A1" t="s"><v>2</v></c></row></sheetData></worksheet>`,
    ),
    "xl/pivotCache/pivotCacheDefinition1.xml": xml(
      `<pivotCacheDefinition ${main} r:id="rId1" recordCount="1"><cacheSource type="worksheet"><worksheetSource ref="A1:B3" sheet="${staff}"/></cacheSource><cacheFields count="1"><cacheField name="Name"><sharedItems><s v="PLANT_PIVOT"/></sharedItems></cacheField></cacheFields></pivotCacheDefinition>`,
    ),
    "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels": rels(
      rel("rId1", "pivotCacheRecords", "pivotCacheRecords1.xml"),
    ),
    "xl/pivotCache/pivotCacheRecords1.xml": xml(
      `<pivotCacheRecords ${main} count="1"><r><x v="0"/><s v="PLANT_PIVOTRECORD"/></r></pivotCacheRecords>`,
    ),
    "xl/externalLinks/externalLink1.xml": xml(
      `<externalLink ${main}><externalBook r:id="rId1"><sheetNames><sheetName val="PLANT_EXTERNALSHEET"/></sheetNames></externalBook></externalLink>`,
    ),
    "xl/externalLinks/_rels/externalLink1.xml.rels": rels(
      rel("rId1", "externalLinkPath", "file:///C:/PLANT_EXTERNAL/pay.xlsx", true),
    ),
  };
  if (options.macro) parts["xl/vbaProject.bin"] = strToU8("PLANT_MACRO Sub Auto_Open()");
  return zip(parts);
}

const w =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/** A document as Word writes it: tracked changes, comments, hidden and white text, an embedded workbook, properties. */
export function wordDocument(): Uint8Array {
  const body = [
    '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Visible title</w:t></w:r></w:p>',
    '<w:p><w:r><w:t xml:space="preserve">Visible start </w:t></w:r><w:ins w:id="1" w:author="PLANT_INS_AUTHOR" w:date="2023-08-01T00:00:00Z"><w:r><w:t>INSERTION_WORDS</w:t></w:r></w:ins><w:del w:id="2" w:author="Bob" w:date="2023-08-01T00:00:00Z"><w:r><w:delText>PLANT_DELETED</w:delText></w:r></w:del><w:r><w:t xml:space="preserve"> visible end</w:t></w:r></w:p>',
    '<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Commented words</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>',
    '<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>PLANT_VANISH</w:t></w:r><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>PLANT_WHITE</w:t></w:r><w:r><w:rPr><w:rStyle w:val="Secret"/></w:rPr><w:t>PLANT_STYLEHIDDEN</w:t></w:r><w:r><w:t>Shown</w:t></w:r></w:p>',
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell one</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Cell two</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
    '<w:p><w:r><w:object><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" Type="Embed" ProgID="Excel.Sheet.12" r:id="rId9"/></w:object></w:r></w:p>',
  ].join("");
  return zip({
    "[Content_Types].xml": xml(
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>',
    ),
    "_rels/.rels": rels(rel("rId1", "officeDocument", "word/document.xml")),
    ...docProps,
    "word/document.xml": xml(`<w:document ${w}><w:body>${body}</w:body></w:document>`),
    "word/_rels/document.xml.rels": rels(
      rel("rId1", "comments", "comments.xml"),
      rel("rId9", "package", "embeddings/Microsoft_Excel_Worksheet.xlsx"),
    ),
    "word/styles.xml": xml(
      `<w:styles ${w}><w:style w:type="character" w:styleId="Secret"><w:name w:val="Secret"/><w:rPr><w:vanish/></w:rPr></w:style></w:styles>`,
    ),
    "word/comments.xml": xml(
      `<w:comments ${w}><w:comment w:id="0" w:author="PLANT_COMMENT_AUTHOR"><w:p><w:r><w:t>PLANT_COMMENT</w:t></w:r></w:p></w:comment></w:comments>`,
    ),
    "word/embeddings/Microsoft_Excel_Worksheet.xlsx": excelWorkbook({ hiddenSheetName: "NestedStaff" }),
  });
}

const odfNs =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3"';
const odfMeta = `<?xml version="1.0" encoding="UTF-8"?><office:document-meta ${odfNs}><office:meta><meta:initial-creator>PLANT_AUTHOR</meta:initial-creator><dc:creator>PLANT_MODIFIER</dc:creator><meta:keyword>PLANT_KEYWORDS</meta:keyword><meta:user-defined meta:name="Classification">PLANT_CUSTOM</meta:user-defined><meta:generator>LibreOffice/7.6</meta:generator></office:meta></office:document-meta>`;

function odf(mimetype: string, content: string, extra: Record<string, string> = {}): Uint8Array {
  return zipSync({
    mimetype: [strToU8(mimetype), { level: 0 }],
    "content.xml": strToU8(content),
    "meta.xml": strToU8(odfMeta),
    "settings.xml": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><office:document-settings ${odfNs}><office:settings>PLANT_SETTINGS</office:settings></office:document-settings>`,
    ),
    "Thumbnails/thumbnail.png": strToU8("PLANT_THUMBNAIL"),
    "META-INF/manifest.xml": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="${mimetype}"/></manifest:manifest>`,
    ),
    ...Object.fromEntries(Object.entries(extra).map(([name, text]) => [name, strToU8(text)])),
  });
}

/** A spreadsheet as LibreOffice Calc writes it: a hidden sheet, collapsed row and column, a comment, a name, properties. */
export function calcSpreadsheet(): Uint8Array {
  const cell = (text: string) =>
    `<table:table-cell office:value-type="string"><text:p>${text}</text:p></table:table-cell>`;
  const content = `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${odfNs}><office:automatic-styles><style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style><style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style></office:automatic-styles><office:body><office:spreadsheet><table:table table:name="Summary" table:style-name="ta1"><table:table-column table:number-columns-repeated="2"/><table:table-column table:visibility="collapse"/><table:table-column table:number-columns-repeated="1021"/><table:table-row>${cell("Visible heading")}<table:table-cell office:value-type="float" office:value="42"><text:p>42</text:p><office:annotation><dc:creator>PLANT_COMMENT_AUTHOR</dc:creator><text:p>PLANT_COMMENT</text:p></office:annotation></table:table-cell>${cell("PLANT_HIDDENCOLUMN")}<table:table-cell office:value-type="date" office:date-value="2023-08-03"><text:p>03/08/23</text:p></table:table-cell></table:table-row><table:table-row table:visibility="collapse">${cell("PLANT_HIDDENROW")}</table:table-row><table:table-row>${cell("Visible total")}<table:table-cell office:value-type="float" office:value="99" table:formula="of:=SUM([.B1])"><text:p>99</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048572"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table><table:table table:name="StaffList" table:style-name="ta2"><table:table-row>${cell("PLANT_HIDDENSHEET")}</table:table-row></table:table><table:named-expressions><table:named-range table:name="PLANT_NAME" table:base-cell-address="$StaffList.$A$1" table:cell-range-address="$StaffList.$A$1:.$A$1"/></table:named-expressions></office:spreadsheet></office:body></office:document-content>`;
  return odf("application/vnd.oasis.opendocument.spreadsheet", content);
}

/** A text document as LibreOffice Writer writes it: tracked changes, a comment, hidden and white text, properties. */
export function writerDocument(): Uint8Array {
  const content = `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${odfNs}><office:automatic-styles><style:style style:name="T1" style:family="text"><style:text-properties text:display="none"/></style:style><style:style style:name="T2" style:family="text"><style:text-properties fo:color="#ffffff"/></style:style></office:automatic-styles><office:body><office:text><text:tracked-changes><text:changed-region xml:id="ct1" text:id="ct1"><text:insertion><office:change-info><dc:creator>PLANT_INS_AUTHOR</dc:creator><dc:date>2023-08-01T00:00:00</dc:date></office:change-info></text:insertion></text:changed-region><text:changed-region xml:id="ct2" text:id="ct2"><text:deletion><office:change-info><dc:creator>Bob</dc:creator><dc:date>2023-08-01T00:00:00</dc:date></office:change-info><text:p>PLANT_DELETED</text:p></text:deletion></text:changed-region></text:tracked-changes><text:h text:outline-level="1">Visible title</text:h><text:p>Visible start <text:change-start text:change-id="ct1"/>INSERTION_WORDS<text:change-end text:change-id="ct1"/><text:change text:change-id="ct2"/> visible end</text:p><text:p>Commented words<office:annotation><dc:creator>PLANT_COMMENT_AUTHOR</dc:creator><text:p>PLANT_COMMENT</text:p></office:annotation></text:p><text:p><text:span text:style-name="T1">PLANT_HIDDENSPAN</text:span><text:span text:style-name="T2">PLANT_WHITE</text:span>Shown<text:hidden-text text:condition="ooow:1" text:string-value="PLANT_HIDDENFIELD"/></text:p><table:table table:name="Table1"><table:table-column table:number-columns-repeated="2"/><table:table-row><table:table-cell office:value-type="string"><text:p>Cell one</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Cell two</text:p></table:table-cell></table:table-row></table:table></office:text></office:body></office:document-content>`;
  return odf("application/vnd.oasis.opendocument.text", content, {
    "Object 1/content.xml": `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${odfNs}><office:body><office:chart>PLANT_OBJECT</office:chart></office:body></office:document-content>`,
    "Basic/Standard/Module1.xml": "PLANT_MACRO",
  });
}

/** A presentation as PowerPoint writes it: speaker notes, a comment, a hidden slide. */
export function powerPointPresentation(): Uint8Array {
  const p =
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"';
  const slide = (text: string, hidden = false) =>
    xml(
      `<p:sld ${p}${hidden ? ' show="0"' : ""}><p:cSld><p:spTree><p:sp><p:nvSpPr><p:cNvPr id="2" name="Title"/></p:nvSpPr><p:txBody><a:p><a:r><a:t>${text}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>`,
    );
  return zip({
    "[Content_Types].xml": xml(
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    ),
    "ppt/presentation.xml": xml(`<p:presentation ${p}/>`),
    "ppt/slides/slide1.xml": slide("Visible slide"),
    "ppt/slides/slide2.xml": slide("PLANT_HIDDENSLIDE", true),
    "ppt/notesSlides/notesSlide1.xml": xml(
      `<p:notes ${p}><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>PLANT_NOTES</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:notes>`,
    ),
    "ppt/comments/comment1.xml": xml(
      `<p:cmLst ${p}><p:cm authorId="0" idx="1"><p:text>PLANT_COMMENT</p:text></p:cm></p:cmLst>`,
    ),
    ...docProps,
  });
}

/**
 * A PDF with each kind of hidden data: text under a black box, invisible, white, clipped and off-page text,
 * Info and XMP metadata, an attached file, a comment annotation, a form field, a script, and an earlier
 * version kept by an incremental update.
 */
export async function hiddenDataPdf(): Promise<Uint8Array> {
  const mupdf = await import("mupdf");
  const doc = new mupdf.PDFDocument();
  const font = doc.addSimpleFont(new mupdf.Font("Helvetica"));
  const resources = doc.addObject({ Font: { F1: font } });
  const content = [
    "BT /F1 12 Tf 72 760 Td (Visible words stay) Tj ET",
    "BT /F1 12 Tf 72 700 Td (PLANT_COVERED name) Tj ET",
    "0 0 0 rg 66 690 200 24 re f",
    "BT /F1 12 Tf 3 Tr 72 650 Td (PLANT_INVISIBLE) Tj 0 Tr ET",
    "q BT /F1 12 Tf 1 1 1 rg 72 620 Td (PLANT_WHITE) Tj ET Q",
    "BT /F1 12 Tf 0 g -400 600 Td (PLANT_OFFPAGE) Tj ET",
    "q 72 560 10 10 re W n BT /F1 12 Tf 0 g 200 560 Td (PLANT_CLIPPED) Tj ET Q",
    "BT /F1 12 Tf 0 g 72 520 Td (PLANT_OLDREV) Tj ET",
  ].join("\n");
  const page = doc.addPage([0, 0, 595, 842], 0, resources, content);
  doc.insertPage(-1, page);
  doc.setMetaData("info:Author", "PLANT_AUTHOR");
  doc.setMetaData("info:Keywords", "PLANT_KEYWORDS");
  const root = doc.getTrailer().get("Root");
  root.put(
    "Metadata",
    doc.addStream('<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>PLANT_XMP</dc:creator></x:xmpmeta>', {
      Type: "Metadata",
      Subtype: "XML",
    }),
  );
  const file = doc.addEmbeddedFile(
    "staff.csv",
    "text/csv",
    "name\nPLANT_ATTACHMENT\n",
    new Date(0),
    new Date(0),
  );
  doc.insertEmbeddedFile("staff.csv", file);
  root.put("OpenAction", doc.addObject({ S: "JavaScript", JS: "app.alert('PLANT_JS')" }));
  const loaded = doc.loadPage(0);
  const note = loaded.createAnnotation("Text");
  note.setRect([300, 100, 320, 120]);
  note.setContents("PLANT_ANNOTATION");
  note.update();
  const field = doc.addObject({
    FT: "Tx",
    T: doc.newString("PLANT_FIELDNAME"),
    V: doc.newString("Field shown"),
    Subtype: "Widget",
    Type: "Annot",
    Rect: [300, 300, 400, 320],
    P: loaded.getObject(),
  });
  loaded.getObject().get("Annots").push(field);
  root.put("AcroForm", doc.addObject({ Fields: [field] }));
  const first = doc.saveToBuffer("compress").asUint8Array().slice();
  // An incremental update that replaces the page's text: the earlier version stays in the file.
  const updated = new mupdf.PDFDocument(first);
  const contents = updated.loadPage(0).getObject().get("Contents");
  contents.writeStream(content.replace("(PLANT_OLDREV)", "(Current revision)"));
  return updated.saveToBuffer("incremental").asUint8Array().slice();
}
