// Files made the way Excel, Word and LibreOffice write them, each part written here, with every kind of
// hidden data planted as a string starting PLANT_ (so a test can look for any of them in every part).
import { crc32, deflateSync } from "node:zlib";
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
export function excelWorkbook(
  options: {
    macro?: boolean;
    hiddenSheetName?: string;
    /** Text left in B3, a cell covered by the merged area A2:B3 (Excel clears it on merging; a hand-made file need not). */
    coveredText?: string;
    /** Pictures on the Summary sheet: each a file in xl/media/, placed by a drawing. */
    pictures?: { name: string; bytes: Uint8Array }[];
  } = {},
): Uint8Array {
  const staff = options.hiddenSheetName ?? "StaffList";
  const pictures = options.pictures ?? [];
  const covered =
    options.coveredText === undefined
      ? ""
      : `<c r="B3" t="inlineStr"><is><t>${options.coveredText}</t></is></c>`;
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
      `<worksheet ${main}><cols><col min="1" max="2" width="12" customWidth="1"/><col min="3" max="3" width="0" hidden="1" customWidth="1"/><col min="4" max="4" width="20.5" customWidth="1"/></cols><sheetData><row r="1"><c r="A1" t="s" s="2"><v>0</v></c><c r="B1"><v>42</v></c></row><row r="2" hidden="1"><c r="A2" t="s"><v>3</v></c></row><row r="3" ht="30" customHeight="1"><c r="A3" t="s"><v>5</v></c>${covered}<c r="C3" t="s"><v>4</v></c><c r="D3" s="1"><v>45142</v></c><c r="E3"><f>SUM(${staff}!B1:B3)</f><v>99</v></c></row><row r="4"><c r="A4" t="s"><v>6</v></c><c r="B4" s="3"><v>0.25</v></c><c r="D4" t="inlineStr"><is><t>Inline visible</t></is></c></row><row r="5"><c r="A5" t="inlineStr"><is><t>Merged across</t></is></c></row></sheetData><mergeCells count="3"><mergeCell ref="A5:D5"/><mergeCell ref="A2:B3"/><mergeCell ref="C1:C3"/></mergeCells>${pictures.length > 0 ? '<drawing r:id="rId3"/>' : ""}</worksheet>`,
    ),
    "xl/worksheets/_rels/sheet1.xml.rels": rels(
      rel("rId1", "comments", "../comments1.xml"),
      rel("rId2", "vmlDrawing", "../drawings/vmlDrawing1.vml"),
      ...(pictures.length > 0 ? [rel("rId3", "drawing", "../drawings/drawing1.xml")] : []),
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
  if (pictures.length > 0) {
    // As Excel places a picture: a two-cell anchor in the sheet's drawing, the image by relationship.
    const anchors = pictures.map(
      (_, i) =>
        `<xdr:twoCellAnchor editAs="oneCell"><xdr:from><xdr:col>5</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${i}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>7</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${i + 1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="${i + 2}" name="Picture ${i + 1}"/><xdr:cNvPicPr><a:picLocks noChangeAspect="1"/></xdr:cNvPicPr></xdr:nvPicPr><xdr:blipFill><a:blip r:embed="rId${i + 1}"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill><xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="952500" cy="952500"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/></xdr:twoCellAnchor>`,
    );
    parts["xl/drawings/drawing1.xml"] = xml(
      `<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">${anchors.join("")}</xdr:wsDr>`,
    );
    parts["xl/drawings/_rels/drawing1.xml.rels"] = rels(
      ...pictures.map((picture, i) => rel(`rId${i + 1}`, "image", `../media/${picture.name}`)),
    );
    for (const picture of pictures) parts[`xl/media/${picture.name}`] = picture.bytes;
  }
  return zip(parts);
}

/**
 * A workbook as LibreOffice Calc saves it in Excel format: its own spellings ("true" for flags, every column
 * and row attribute written out, a column run to the 1,024th), a hidden sheet, row and column, a comment,
 * merged cells, a date format, bold, a boolean and properties.
 */
export function libreOfficeWorkbook(): Uint8Array {
  const row = (r: number, cells: string, hidden = false, height = "12.8") =>
    `<row r="${r}" customFormat="false" ht="${height}" hidden="${hidden}" customHeight="${height !== "12.8"}" outlineLevel="0" collapsed="false">${cells}</row>`;
  const strings = [
    "Name",
    "PLANT_HIDDENCOLUMN",
    "Total",
    "PLANT_HIDDENROW",
    "PLANT_HIDDENSHEET",
    "Merged heading",
  ];
  return zip({
    "[Content_Types].xml": xml(
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    ),
    "_rels/.rels": rels(rel("rId1", "officeDocument", "xl/workbook.xml")),
    ...docProps,
    "docProps/app.xml": xml(
      '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Template></Template><TotalTime>3</TotalTime><Application>LibreOffice/7.6.4.1$Linux_X86_64 LibreOffice_project/60$Build-1</Application><Company>PLANT_COMPANY</Company></Properties>',
    ),
    "xl/workbook.xml": xml(
      `<workbook ${main}><fileVersion appName="Calc"/><workbookPr backupFile="false" showObjects="all" date1904="false"/><bookViews><workbookView showHorizontalScroll="true" activeTab="0"/></bookViews><sheets><sheet name="Summary" sheetId="1" state="visible" r:id="rId2"/><sheet name="Staff" sheetId="2" state="hidden" r:id="rId3"/></sheets><calcPr iterateCount="100" refMode="A1" iterate="false" iterateDelta="0.001"/></workbook>`,
    ),
    "xl/_rels/workbook.xml.rels": rels(
      rel("rId1", "styles", "styles.xml"),
      rel("rId2", "worksheet", "worksheets/sheet1.xml"),
      rel("rId3", "worksheet", "worksheets/sheet2.xml"),
      rel("rId4", "sharedStrings", "sharedStrings.xml"),
    ),
    "xl/sharedStrings.xml": xml(
      `<sst ${main} count="${strings.length}" uniqueCount="${strings.length}">${strings.map((text) => `<si><t xml:space="preserve">${text}</t></si>`).join("")}</sst>`,
    ),
    "xl/styles.xml": xml(
      `<styleSheet ${main}><numFmts count="1"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/></numFmts><fonts count="2"><font><sz val="10"/><name val="Arial"/><family val="2"/></font><font><b val="true"/><sz val="10"/><name val="Arial"/><family val="2"/></font></fonts><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" applyFont="false" applyBorder="false" applyAlignment="false" applyProtection="false"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" applyFont="true" applyBorder="false" applyAlignment="false" applyProtection="false"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" applyFont="false" applyBorder="false" applyAlignment="false" applyProtection="false"/></cellXfs></styleSheet>`,
    ),
    "xl/worksheets/sheet1.xml": xml(
      `<worksheet ${main}><sheetPr filterMode="false"><pageSetUpPr fitToPage="false"/></sheetPr><dimension ref="A1:D4"/><cols><col collapsed="false" customWidth="true" hidden="false" outlineLevel="0" max="1" min="1" style="0" width="25.5"/><col collapsed="false" customWidth="true" hidden="true" outlineLevel="0" max="2" min="2" style="0" width="0"/><col collapsed="false" customWidth="false" hidden="false" outlineLevel="0" max="1025" min="3" style="0" width="11.52"/></cols><sheetData>${row(1, '<c r="A1" s="1" t="s"><v>0</v></c><c r="B1" s="0" t="s"><v>1</v></c><c r="C1" s="2" t="n"><v>45142</v></c><c r="D1" s="0" t="b"><v>1</v></c>')}${row(2, '<c r="A2" s="0" t="s"><v>3</v></c>', true)}${row(3, '<c r="A3" s="0" t="s"><v>2</v></c><c r="C3" s="0" t="n"><f aca="false">SUM(C1:C1)</f><v>45142</v></c>', false, "25.5")}${row(4, '<c r="A4" s="1" t="s"><v>5</v></c>')}</sheetData><mergeCells count="1"><mergeCell ref="A4:C4"/></mergeCells></worksheet>`,
    ),
    "xl/worksheets/_rels/sheet1.xml.rels": rels(rel("rId1", "comments", "../comments1.xml")),
    "xl/comments1.xml": xml(
      `<comments ${main}><authors><author>PLANT_COMMENT_AUTHOR</author></authors><commentList><comment ref="A3" authorId="0"><text><r><t xml:space="preserve">PLANT_COMMENT</t></r></text></comment></commentList></comments>`,
    ),
    "xl/worksheets/sheet2.xml": xml(
      `<worksheet ${main}><sheetData>${row(1, '<c r="A1" s="0" t="s"><v>4</v></c>')}</sheetData></worksheet>`,
    ),
  });
}

const w =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

const notes = (kind: "footnote" | "endnote", body: string) =>
  xml(
    `<w:${kind}s ${w}><w:${kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:${kind}><w:${kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:${kind}>${body}</w:${kind}s>`,
  );

/**
 * A document as Word writes it: tracked changes, comments, hidden and white text, an embedded workbook,
 * properties; headers, a footer, footnotes, endnotes and a text box each with visible and hidden text.
 */
export function wordDocument(): Uint8Array {
  const textBox =
    "<w:p><w:r><w:t>Visible text box</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>PLANT_TEXTBOXHIDDEN</w:t></w:r></w:p>";
  const body = [
    '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Visible title</w:t></w:r></w:p>',
    '<w:p><w:r><w:t xml:space="preserve">Visible start </w:t></w:r><w:ins w:id="1" w:author="PLANT_INS_AUTHOR" w:date="2023-08-01T00:00:00Z"><w:r><w:t>INSERTION_WORDS</w:t></w:r></w:ins><w:del w:id="2" w:author="Bob" w:date="2023-08-01T00:00:00Z"><w:r><w:delText>PLANT_DELETED</w:delText></w:r></w:del><w:r><w:t xml:space="preserve"> visible end</w:t></w:r></w:p>',
    '<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Commented words</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>',
    '<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>PLANT_VANISH</w:t></w:r><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>PLANT_WHITE</w:t></w:r><w:r><w:rPr><w:rStyle w:val="Secret"/></w:rPr><w:t>PLANT_STYLEHIDDEN</w:t></w:r><w:r><w:t>Shown</w:t></w:r></w:p>',
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell one</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Cell two</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
    '<w:p><w:r><w:object><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" Type="Embed" ProgID="Excel.Sheet.12" r:id="rId9"/></w:object></w:r></w:p>',
    // A text box as Word 2010+ writes it: the DrawingML box, and a VML copy for older readers.
    `<w:p><w:r><w:t xml:space="preserve">Before the box </w:t></w:r><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps"><w:drawing><wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:docPr id="1" name="Text Box 1"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:txbx><w:txbxContent>${textBox}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>${textBox}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t xml:space="preserve">after the box</w:t></w:r></w:p>`,
    '<w:p><w:r><w:t xml:space="preserve">A noted fact</w:t></w:r><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="2"/></w:r><w:r><w:t xml:space="preserve"> and an ended one</w:t></w:r><w:r><w:endnoteReference w:id="1"/></w:r></w:p>',
    '<w:sectPr><w:headerReference w:type="default" r:id="rId20"/><w:headerReference w:type="first" r:id="rId21"/><w:footerReference w:type="default" r:id="rId22"/><w:titlePg/></w:sectPr>',
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
      rel("rId10", "footnotes", "footnotes.xml"),
      rel("rId11", "endnotes", "endnotes.xml"),
      rel("rId12", "settings", "settings.xml"),
      rel("rId13", "customXml", "../customXml/item1.xml"),
      rel("rId20", "header", "header1.xml"),
      rel("rId21", "header", "header2.xml"),
      rel("rId22", "footer", "footer1.xml"),
    ),
    "word/header1.xml": xml(
      `<w:hdr ${w}><w:p><w:r><w:t xml:space="preserve">Visible header </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>PLANT_HEADERHIDDEN</w:t></w:r></w:p></w:hdr>`,
    ),
    "word/header2.xml": xml(
      `<w:hdr ${w}><w:p><w:r><w:t>First page header</w:t></w:r><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>PLANT_HEADERWHITE</w:t></w:r></w:p></w:hdr>`,
    ),
    "word/footer1.xml": xml(
      `<w:ftr ${w}><w:p><w:r><w:t xml:space="preserve">Visible footer </w:t></w:r><w:ins w:id="31" w:author="PLANT_FOOTER_AUTHOR" w:date="2023-08-01T00:00:00Z"><w:r><w:t>FOOTER_INSERTION</w:t></w:r></w:ins><w:del w:id="32" w:author="Bob" w:date="2023-08-01T00:00:00Z"><w:r><w:delText>FOOTER_DELETION</w:delText></w:r></w:del></w:p></w:ftr>`,
    ),
    "word/footnotes.xml": notes(
      "footnote",
      '<w:footnote w:id="1"><w:p><w:r><w:t>PLANT_UNREFERENCEDNOTE</w:t></w:r></w:p></w:footnote><w:footnote w:id="2"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Visible footnote</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>PLANT_FOOTNOTEHIDDEN</w:t></w:r></w:p></w:footnote>',
    ),
    "word/endnotes.xml": notes(
      "endnote",
      '<w:endnote w:id="1"><w:p><w:r><w:endnoteRef/></w:r><w:r><w:t xml:space="preserve"> Visible endnote</w:t></w:r><w:del w:id="41" w:author="Bob" w:date="2023-08-01T00:00:00Z"><w:r><w:delText xml:space="preserve"> ENDNOTE_DELETION</w:delText></w:r></w:del></w:p></w:endnote>',
    ),
    "word/settings.xml": xml(
      `<w:settings ${w}><w:attachedTemplate r:id="rId1"/><w:rsids><w:rsidRoot w:val="PLANT_RSID"/></w:rsids></w:settings>`,
    ),
    "word/_rels/settings.xml.rels": rels(
      rel("rId1", "attachedTemplate", "file:///C:/Users/PLANT_TEMPLATEUSER/Normal.dotm", true),
    ),
    "word/people.xml": xml(
      '<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"><w15:person w15:author="PLANT_PERSON"/></w15:people>',
    ),
    "customXml/item1.xml": xml("<root>PLANT_CUSTOMXML</root>"),
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

/** A JPEG carrying one APP1 segment (Exif or XMP); the picture itself is three bytes of scan data. */
export function jpegWithApp1(payload: Uint8Array): Uint8Array {
  return new Uint8Array([
    0xff,
    0xd8,
    0xff,
    0xe1,
    (payload.length + 2) >> 8,
    (payload.length + 2) & 255,
    ...payload,
    0xff,
    0xda,
    0,
    2,
    1,
    2,
    3,
    0xff,
    0xd9,
  ]);
}

/** A JPEG whose XMP packet names someone. */
export function jpegWithXmp(text: string): Uint8Array {
  return jpegWithApp1(
    strToU8(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x="adobe:ns:meta/">${text}</x:xmpmeta>`),
  );
}

const pml =
  'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const textShape = (id: number, name: string, text: string, hidden = false) =>
  `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="${name}"${hidden ? ' hidden="1"' : ""}/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="457200" y="${id * 600000}"/><a:ext cx="4000000" cy="500000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="1D70B8"/></a:solidFill></p:spPr><p:txBody><a:bodyPr/><a:p><a:r><a:rPr lang="en-GB" b="1"/><a:t>${text}</a:t></a:r></a:p></p:txBody></p:sp>`;
const presentationType = (name: string) =>
  `application/vnd.openxmlformats-officedocument.presentationml.${name}+xml`;

/**
 * A presentation as PowerPoint writes it: speaker notes and their master, comments and their authors, a hidden
 * slide, a hidden shape, an embedded object, a picture with XMP, tags, a custom show, section names, a linked
 * picture on someone's drive, properties and (when asked) macros; every one of them planted.
 */
export function powerPointPresentation(options: { macro?: boolean } = {}): Uint8Array {
  const slide = (body: string, hidden = false, extra = "") =>
    xml(
      `<p:sld ${pml}${hidden ? ' show="0"' : ""}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${body}</p:spTree><p:custDataLst><p:tags r:id="rId6"/></p:custDataLst></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>${extra}</p:sld>`,
    );
  const slideOne = slide(
    [
      textShape(2, "Title 1", "Visible slide"),
      textShape(3, "Box", "Visible box"),
      textShape(4, "PLANT_HIDDENSHAPENAME", "PLANT_HIDDENSHAPE", true),
      `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="5" name="Object 4"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="0" y="0"/><a:ext cx="1" cy="1"/></p:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/presentationml/2006/ole"><p:oleObj name="PLANT_OLENAME" progId="Excel.Sheet.12" r:id="rId3"><p:embed/></p:oleObj></a:graphicData></a:graphic></p:graphicFrame>`,
      `<p:pic><p:nvPicPr><p:cNvPr id="6" name="Picture 5" descr="Visible picture"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="rId4"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>`,
      `<p:pic><p:nvPicPr><p:cNvPr id="7" name="Linked picture"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:link="rId8"/></p:blipFill><p:spPr/></p:pic>`,
      `<p:sp><p:nvSpPr><p:cNvPr id="8" name="Link"><a:hlinkClick r:id="rId7"/></p:cNvPr><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:t>Visible link</a:t></a:r></a:p></p:txBody></p:sp>`,
    ].join(""),
    false,
    '<p:timing><p:tnLst><p:par><p:cTn id="1" nodeType="tmRoot"><p:childTnLst><p:set><p:cBhvr><p:cTn id="2"/><p:tgtEl><p:spTgt spid="4"/></p:tgtEl></p:cBhvr></p:set></p:childTnLst></p:cTn></p:par></p:tnLst></p:timing><p:extLst><p:ext uri="{BB962C8B-B14F-4D97-AF65-F5344CB8AC3E}"><p14:creationId xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main" val="PLANT_EXT"/></p:ext></p:extLst>',
  );
  const parts: Record<string, string | Uint8Array> = {
    "[Content_Types].xml": xml(
      `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" ContentType="image/jpeg"/><Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/><Override PartName="/ppt/presentation.xml" ContentType="${options.macro ? "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml" : presentationType("presentation.main")}"/><Override PartName="/ppt/slides/slide1.xml" ContentType="${presentationType("slide")}"/><Override PartName="/ppt/slides/slide2.xml" ContentType="${presentationType("slide")}"/><Override PartName="/ppt/slides/slide3.xml" ContentType="${presentationType("slide")}"/><Override PartName="/ppt/slideMasters/slideMaster1.xml" ContentType="${presentationType("slideMaster")}"/><Override PartName="/ppt/slideLayouts/slideLayout1.xml" ContentType="${presentationType("slideLayout")}"/><Override PartName="/ppt/notesSlides/notesSlide1.xml" ContentType="${presentationType("notesSlide")}"/><Override PartName="/ppt/notesMasters/notesMaster1.xml" ContentType="${presentationType("notesMaster")}"/><Override PartName="/ppt/comments/comment1.xml" ContentType="${presentationType("comments")}"/><Override PartName="/ppt/commentAuthors.xml" ContentType="${presentationType("commentAuthors")}"/><Override PartName="/ppt/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/><Override PartName="/ppt/presProps.xml" ContentType="${presentationType("presProps")}"/><Override PartName="/ppt/tags/tag1.xml" ContentType="${presentationType("tags")}"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`,
    ),
    "_rels/.rels": rels(
      rel("rId1", "officeDocument", "ppt/presentation.xml"),
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>',
      rel("rId3", "extended-properties", "docProps/app.xml"),
      rel("rId4", "custom-properties", "docProps/custom.xml"),
      '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/>',
    ),
    ...docProps,
    "docProps/thumbnail.jpeg": jpegWithXmp("PLANT_THUMBNAIL"),
    "ppt/presentation.xml": xml(
      `<p:presentation ${pml}><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst><p:notesMasterIdLst><p:notesMasterId r:id="rId5"/></p:notesMasterIdLst><p:sldIdLst><p:sldId id="256" r:id="rId2"/><p:sldId id="257" r:id="rId3"/><p:sldId id="258" r:id="rId4"/></p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/><p:custShowLst><p:custShow name="PLANT_CUSTOMSHOW" id="0"><p:sldLst><p:sld r:id="rId3"/></p:sldLst></p:custShow></p:custShowLst><p:custDataLst><p:tags r:id="rId9"/></p:custDataLst><p:extLst><p:ext uri="{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"><p14:sectionLst xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main"><p14:section name="PLANT_SECTION" id="{1}"><p14:sldIdLst><p14:sldId id="256"/></p14:sldIdLst></p14:section></p14:sectionLst></p:ext></p:extLst></p:presentation>`,
    ),
    "ppt/_rels/presentation.xml.rels": rels(
      rel("rId1", "slideMaster", "slideMasters/slideMaster1.xml"),
      rel("rId2", "slide", "slides/slide1.xml"),
      rel("rId3", "slide", "slides/slide2.xml"),
      rel("rId4", "slide", "slides/slide3.xml"),
      rel("rId5", "notesMaster", "notesMasters/notesMaster1.xml"),
      rel("rId6", "theme", "theme/theme1.xml"),
      rel("rId7", "commentAuthors", "commentAuthors.xml"),
      '<Relationship Id="rId8" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>',
      rel("rId9", "tags", "tags/tag1.xml"),
      rel("rId10", "presProps", "presProps.xml"),
    ),
    "ppt/slideMasters/slideMaster1.xml": xml(
      `<p:sldMaster ${pml}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${textShape(2, "Logo", "Master logo text")}${textShape(3, "Old logo", "PLANT_MASTERHIDDEN", true)}</p:spTree></p:cSld><p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/><p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst></p:sldMaster>`,
    ),
    "ppt/slideMasters/_rels/slideMaster1.xml.rels": rels(
      rel("rId1", "slideLayout", "../slideLayouts/slideLayout1.xml"),
      rel("rId2", "theme", "../theme/theme1.xml"),
    ),
    "ppt/slideLayouts/slideLayout1.xml": xml(
      `<p:sldLayout ${pml}><p:cSld name="Title"><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/></p:spTree></p:cSld></p:sldLayout>`,
    ),
    "ppt/slideLayouts/_rels/slideLayout1.xml.rels": rels(
      rel("rId1", "slideMaster", "../slideMasters/slideMaster1.xml"),
    ),
    "ppt/theme/theme1.xml": xml(
      '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme"><a:themeElements><a:clrScheme name="Office"/><a:fontScheme name="Office"/><a:fmtScheme name="Office"/></a:themeElements></a:theme>',
    ),
    "ppt/presProps.xml": xml(`<p:presentationPr ${pml}/>`),
    "ppt/slides/slide1.xml": slideOne,
    "ppt/slides/_rels/slide1.xml.rels": rels(
      rel("rId1", "slideLayout", "../slideLayouts/slideLayout1.xml"),
      rel("rId2", "notesSlide", "../notesSlides/notesSlide1.xml"),
      rel("rId3", "oleObject", "../embeddings/oleObject1.bin"),
      rel("rId4", "image", "../media/image1.jpeg"),
      rel("rId5", "comments", "../comments/comment1.xml"),
      rel("rId6", "tags", "../tags/tag1.xml"),
      rel("rId7", "hyperlink", "https://www.example.org/visible", true),
      rel("rId8", "image", "file:///C:/Users/PLANT_LINKEDPICTURE/photo.jpeg", true),
    ),
    "ppt/slides/slide2.xml": slide(textShape(2, "Title 1", "PLANT_HIDDENSLIDE"), true),
    "ppt/slides/_rels/slide2.xml.rels": rels(rel("rId1", "slideLayout", "../slideLayouts/slideLayout1.xml")),
    "ppt/slides/slide3.xml": slide(textShape(2, "Title 1", "Third slide")),
    "ppt/slides/_rels/slide3.xml.rels": rels(rel("rId1", "slideLayout", "../slideLayouts/slideLayout1.xml")),
    "ppt/media/image1.jpeg": jpegWithXmp("PLANT_PICTUREXMP"),
    "ppt/embeddings/oleObject1.bin": strToU8("PLANT_OLE"),
    "ppt/tags/tag1.xml": xml(`<p:tagLst ${pml}><p:tag name="CLASSIFICATION" val="PLANT_TAG"/></p:tagLst>`),
    "ppt/notesSlides/notesSlide1.xml": xml(
      `<p:notes ${pml}><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>PLANT_NOTES</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:notes>`,
    ),
    "ppt/notesSlides/_rels/notesSlide1.xml.rels": rels(
      rel("rId1", "notesMaster", "../notesMasters/notesMaster1.xml"),
      rel("rId2", "slide", "../slides/slide1.xml"),
    ),
    "ppt/notesMasters/notesMaster1.xml": xml(
      `<p:notesMaster ${pml}><p:cSld><p:spTree>${textShape(2, "Notes", "PLANT_NOTESMASTER")}</p:spTree></p:cSld></p:notesMaster>`,
    ),
    "ppt/comments/comment1.xml": xml(
      `<p:cmLst ${pml}><p:cm authorId="0" idx="1"><p:pos x="10" y="10"/><p:text>PLANT_COMMENT</p:text></p:cm></p:cmLst>`,
    ),
    "ppt/commentAuthors.xml": xml(
      `<p:cmAuthorLst ${pml}><p:cmAuthor id="0" name="PLANT_COMMENT_AUTHOR" initials="PC" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>`,
    ),
  };
  if (options.macro) parts["ppt/vbaProject.bin"] = strToU8("PLANT_MACRO Sub Auto_Open()");
  return zip(parts);
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

/**
 * A reply letter as a PDF (pdfkit), for redaction: a name, an email address and a phone number in its text,
 * and a line at a known place (72 points from the left, 300 from the top) to remove by marking its area.
 */
export async function letterPdf(): Promise<Uint8Array> {
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({ info: { Producer: "test" } });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on("end", () => resolve()));
  doc.fontSize(12);
  doc.text("Dear Jo Bloggs, thank you for writing to jo.bloggs@example.org.", 72, 72);
  doc.text("Call 020 7946 0018 if you have questions.", 72, 100);
  doc.text("The decision stands.", 72, 128);
  doc.text("Officer in charge: Constable Areaname", 72, 300);
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

/** A PDF of one page per text, as a scanner's or a printer driver's several pages. */
export async function pagedPdf(pages: readonly string[]): Promise<Uint8Array> {
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({ info: { Producer: "test" }, autoFirstPage: false });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on("end", () => resolve()));
  for (const text of pages) doc.addPage().fontSize(24).text(text);
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

/** A 1×1 PNG as a camera or editor writes it: a text chunk naming someone, and a time chunk. */
export function pngWithText(text: string, size = { width: 1, height: 1 }): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, data.length);
    out.set(strToU8(type), 4);
    out.set(data, 8);
    view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
    return out;
  };
  const header = new Uint8Array(13);
  new DataView(header.buffer).setUint32(0, size.width);
  new DataView(header.buffer).setUint32(4, size.height);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = [0, ...Array.from({ length: size.width }, () => [0x1d, 0x70, 0xb8]).flat()];
  const pixels = deflateSync(new Uint8Array(Array.from({ length: size.height }, () => row).flat()));
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("tEXt", strToU8(`Author\0${text}`)),
    chunk("tIME", new Uint8Array([7, 231, 8, 3, 9, 0, 0])),
    chunk("IDAT", new Uint8Array(pixels)),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A 1×1 GIF with a comment extension holding `comment`. */
export function gifWithComment(comment: string): Uint8Array {
  const text = strToU8(comment);
  return new Uint8Array([
    ...strToU8("GIF89a"),
    1,
    0,
    1,
    0,
    0x80,
    0,
    0,
    0xff,
    0xff,
    0xff,
    0,
    0,
    0,
    0x21,
    0xfe,
    text.length,
    ...text,
    0,
    0x2c,
    0,
    0,
    0,
    0,
    1,
    0,
    1,
    0,
    0,
    2,
    2,
    0x44,
    1,
    0,
    0x3b,
  ]);
}

/**
 * An EMF as Office writes one for a picture or an object's preview: a header, then one EMR_EXTTEXTOUTW
 * record drawing `text` ([MS-EMF] 2.3.5.8), then the end record.
 */
export function emfWithText(text: string): Uint8Array {
  const chars = text.length;
  const textSize = 76 + Math.ceil((chars * 2) / 4) * 4;
  const total = 88 + textSize + 20;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, 1, true); // EMR_HEADER
  view.setUint32(4, 88, true);
  out.set(strToU8(" EMF"), 40);
  view.setUint32(44, 0x10000, true);
  view.setUint32(48, total, true);
  view.setUint32(52, 3, true);
  view.setUint32(88, 84, true); // EMR_EXTTEXTOUTW
  view.setUint32(92, textSize, true);
  view.setUint32(88 + 44, chars, true);
  view.setUint32(88 + 48, 76, true);
  for (let i = 0; i < chars; i++) view.setUint16(88 + 76 + i * 2, text.charCodeAt(i), true);
  view.setUint32(88 + textSize, 14, true); // EMR_EOF
  view.setUint32(88 + textSize + 4, 20, true);
  return out;
}

/** An SVG as drawing programs save one: a visible drawing and label, and text of every kind nobody sees. */
export function svgWithHiddenText(): Uint8Array {
  return strToU8(
    `<?xml version="1.0" encoding="UTF-8"?>\n<!-- PLANT_SVGCOMMENT -->\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" width="200" height="100" viewBox="0 0 200 100" inkscape:export-filename="/home/PLANT_INKSCAPEUSER/chart.png"><title>PLANT_SVGTITLE</title><desc>PLANT_SVGDESC</desc><metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">PLANT_SVGCREATOR</dc:creator></rdf:RDF></metadata><sodipodi:namedview id="base" inkscape:current-layer="PLANT_LAYER"/><style>.gone { display: none } .bar { fill: #1d70b8 }</style><script>alert("PLANT_SVGSCRIPT")</script><g inkscape:label="PLANT_LAYERNAME" onclick="PLANT_ONCLICK()"><rect class="bar" x="10" y="10" width="80" height="80"/><text x="100" y="50">Visible label</text><text x="100" y="70" display="none">PLANT_SVGHIDDEN</text><text class="gone" x="100" y="90">PLANT_SVGCLASSHIDDEN</text><g style="visibility:hidden"><text>PLANT_SVGINVISIBLEGROUP</text></g><text opacity="0">PLANT_SVGTRANSPARENT</text><foreignObject width="10" height="10"><p xmlns="http://www.w3.org/1999/xhtml">PLANT_FOREIGN</p></foreignObject><image width="10" height="10" xlink:href="file:///C:/Users/PLANT_SVGLINK/logo.png"/></g></svg>`,
  );
}

const drawingNamespaces =
  'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"';

/** A picture as Word writes it, inline or floating, with its alternative text and (when given) an SVG. */
function wordPicture(
  id: number,
  rId: string,
  options: { descr?: string; anchor?: boolean; svg?: string; cx?: number; cy?: number; crop?: string } = {},
): string {
  const cx = options.cx ?? 1905000;
  const cy = options.cy ?? 952500;
  const svg = options.svg
    ? `<a:extLst><a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}"><asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" r:embed="${options.svg}"/></a:ext></a:extLst>`
    : "";
  const graphic = `<wp:docPr id="${id}" name="Picture ${id}"${options.descr ? ` descr="${options.descr}"` : ""}/><wp:cNvGraphicFramePr><a:graphicFrameLocks ${drawingNamespaces} noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic ${drawingNamespaces}><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic ${drawingNamespaces}><pic:nvPicPr><pic:cNvPr id="${id}" name="IMG_${id}.jpg"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="${rId}">${svg}</a:blip>${options.crop ? `<a:srcRect ${options.crop}/>` : ""}<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>`;
  return options.anchor
    ? `<w:drawing><wp:anchor ${drawingNamespaces} distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>1270000</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV><wp:extent cx="${cx}" cy="${cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/>${graphic}</wp:anchor></w:drawing>`
    : `<w:drawing><wp:inline ${drawingNamespaces} distT="0" distB="0" distL="0" distR="0"><wp:extent cx="${cx}" cy="${cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>${graphic}</wp:inline></w:drawing>`;
}

/**
 * A document as Word writes one with two sections, each with its own header and footer (the first section's
 * landscape), and pictures: a photo with Exif (its description the file's path, as Word 2010 wrote it), a
 * header logo with PNG text, a floating GIF with a comment, an SVG with its PNG copy, a picture in a table
 * cell of the second footer, a deleted, a hidden and a linked picture, a first-page and an even-page header
 * that no page shows, and an embedded object whose preview is a metafile with text.
 */
export function wordDocumentWithSections(): Uint8Array {
  const exif = jpegWithApp1(
    strToU8('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x="adobe:ns:meta/">PLANT_PHOTOXMP</x:xmpmeta>'),
  );
  const body = [
    `<w:p><w:r><w:t xml:space="preserve">Section one text </w:t></w:r><w:r>${wordPicture(1, "rId40", { descr: "C:\\Users\\PLANT_PATHUSER\\Pictures\\IMG_0001.jpg", cx: 1000000, cy: 500000 })}</w:r></w:p>`,
    '<w:p><w:pPr><w:sectPr><w:headerReference w:type="default" r:id="rId30"/><w:footerReference w:type="default" r:id="rId31"/><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/><w:sectPrChange w:id="90" w:author="PLANT_SECTIONAUTHOR"><w:sectPr><w:headerReference w:type="default" r:id="rId34"/></w:sectPr></w:sectPrChange></w:sectPr></w:pPr><w:r><w:t>End of section one</w:t></w:r></w:p>',
    `<w:p><w:r><w:t xml:space="preserve">Section two text </w:t></w:r><w:r>${wordPicture(2, "rId41", { descr: "Chart of response times", anchor: true })}</w:r></w:p>`,
    `<w:p><w:r><w:t xml:space="preserve">Vector </w:t></w:r><w:r>${wordPicture(3, "rId42", { svg: "rId43" })}</w:r></w:p>`,
    `<w:p><w:del w:id="5" w:author="PLANT_PICTUREDELETER" w:date="2023-08-01T00:00:00Z"><w:r>${wordPicture(4, "rId44")}</w:r></w:del><w:r><w:t>After the deleted picture</w:t></w:r></w:p>`,
    `<w:p><w:r><w:rPr><w:vanish/></w:rPr>${wordPicture(5, "rId45")}</w:r><w:r><w:t>After the hidden picture</w:t></w:r></w:p>`,
    `<w:p><w:r><w:drawing><wp:inline ${drawingNamespaces}><wp:extent cx="100" cy="100"/><wp:docPr id="6" name="Linked"/><a:graphic ${drawingNamespaces}><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic ${drawingNamespaces}><pic:blipFill><a:blip r:link="rId46"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r><w:r><w:t>After the linked picture</w:t></w:r></w:p>`,
    '<w:p><w:r><w:object><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:imagedata r:id="rId47"/></v:shape><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" Type="Embed" ProgID="Package" r:id="rId48"/></w:object></w:r></w:p>',
    '<w:sectPr><w:headerReference w:type="default" r:id="rId32"/><w:headerReference w:type="first" r:id="rId34"/><w:headerReference w:type="even" r:id="rId35"/><w:footerReference w:type="default" r:id="rId33"/><w:type w:val="oddPage"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>',
  ].join("");
  const header = (tag: "hdr" | "ftr", content: string) => xml(`<w:${tag} ${w}>${content}</w:${tag}>`);
  return zip({
    "[Content_Types].xml": xml(
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" ContentType="image/jpeg"/><Default Extension="png" ContentType="image/png"/><Default Extension="gif" ContentType="image/gif"/><Default Extension="svg" ContentType="image/svg+xml"/><Default Extension="emf" ContentType="image/x-emf"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    "_rels/.rels": rels(rel("rId1", "officeDocument", "word/document.xml")),
    ...docProps,
    "word/document.xml": xml(`<w:document ${w}><w:body>${body}</w:body></w:document>`),
    "word/_rels/document.xml.rels": rels(
      rel("rId30", "header", "header1.xml"),
      rel("rId31", "footer", "footer1.xml"),
      rel("rId32", "header", "header2.xml"),
      rel("rId33", "footer", "footer2.xml"),
      rel("rId34", "header", "header3.xml"),
      rel("rId35", "header", "header4.xml"),
      rel("rId40", "image", "media/image1.jpeg"),
      rel("rId41", "image", "media/image2.gif"),
      rel("rId42", "image", "media/image3.png"),
      rel("rId43", "image", "media/image4.svg"),
      rel("rId44", "image", "media/image5.png"),
      rel("rId45", "image", "media/image6.png"),
      rel("rId46", "image", "file:///C:/Users/PLANT_LINKEDUSER/photo.jpeg", true),
      rel("rId47", "image", "media/image7.emf"),
      rel("rId48", "package", "embeddings/Package.bin"),
    ),
    "word/header1.xml": header(
      "hdr",
      `<w:p><w:r><w:t xml:space="preserve">Section one header </w:t></w:r><w:r>${wordPicture(11, "rId1", { descr: "Council logo" })}</w:r></w:p>`,
    ),
    "word/_rels/header1.xml.rels": rels(rel("rId1", "image", "media/image8.png")),
    "word/footer1.xml": header("ftr", "<w:p><w:r><w:t>Section one footer</w:t></w:r></w:p>"),
    "word/header2.xml": header("hdr", "<w:p><w:r><w:t>Section two header</w:t></w:r></w:p>"),
    "word/footer2.xml": header(
      "ftr",
      `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Signed</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r>${wordPicture(12, "rId1")}</w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>Section two footer</w:t></w:r></w:p>`,
    ),
    "word/_rels/footer2.xml.rels": rels(rel("rId1", "image", "media/image9.png")),
    "word/header3.xml": header("hdr", "<w:p><w:r><w:t>PLANT_UNSHOWNFIRSTHEADER</w:t></w:r></w:p>"),
    "word/header4.xml": header("hdr", "<w:p><w:r><w:t>PLANT_UNSHOWNEVENHEADER</w:t></w:r></w:p>"),
    "word/media/image1.jpeg": exif,
    "word/media/image2.gif": gifWithComment("PLANT_GIFCOMMENT"),
    "word/media/image3.png": pngWithText("PLANT_SVGFALLBACKTEXT"),
    "word/media/image4.svg": svgWithHiddenText(),
    "word/media/image5.png": pngWithText("PLANT_DELETEDPICTURE"),
    "word/media/image6.png": pngWithText("PLANT_HIDDENPICTURE"),
    "word/media/image7.emf": emfWithText("PLANT_OLEPREVIEW"),
    "word/media/image8.png": pngWithText("PLANT_LOGOAUTHOR"),
    "word/media/image9.png": pngWithText("PLANT_SIGNATURE"),
    "word/embeddings/Package.bin": strToU8("PLANT_PACKAGE"),
  });
}

/** A one-paragraph Word document whose one picture is `name`, holding `bytes`. */
export function wordDocumentWithPicture(name: string, bytes: Uint8Array, crop?: string): Uint8Array {
  return zip({
    "[Content_Types].xml": xml(
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    "_rels/.rels": rels(rel("rId1", "officeDocument", "word/document.xml")),
    "word/document.xml": xml(
      `<w:document ${w}><w:body><w:p><w:r><w:t xml:space="preserve">A picture: </w:t></w:r><w:r>${wordPicture(1, "rId1", crop ? { crop } : {})}</w:r></w:p><w:sectPr/></w:body></w:document>`,
    ),
    "word/_rels/document.xml.rels": rels(rel("rId1", "image", `media/${name}`)),
    [`word/media/${name}`]: bytes,
  });
}

/**
 * A spreadsheet as LibreOffice Calc 7 writes one with formatting: column widths and a tall row (automatic
 * styles), bold and italic cells, percentage, currency (negative in red, by a condition), decimal and date
 * formats, a merged heading over a hidden column, and a merged area whose covered cell kept its content; with
 * a hidden sheet, row and column, a comment, a name into the hidden sheet, properties, a macro and a chart.
 */
export function calcSpreadsheetFormatted(): Uint8Array {
  const number = 'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"';
  const dataStyles = [
    '<number:number-style style:name="N4"><number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/></number:number-style>',
    '<number:percentage-style style:name="N11"><number:number number:decimal-places="1" number:min-decimal-places="1" number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>',
    '<number:currency-style style:name="N104P0" style:volatile="true"><number:currency-symbol number:language="en" number:country="GB">£</number:currency-symbol><number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/></number:currency-style>',
    '<number:currency-style style:name="N104"><style:text-properties fo:color="#ff0000"/><number:text>-</number:text><number:currency-symbol number:language="en" number:country="GB">£</number:currency-symbol><number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/><style:map style:condition="value()&gt;=0" style:apply-style-name="N104P0"/></number:currency-style>',
    '<number:date-style style:name="N37" number:automatic-order="true"><number:day number:style="long"/><number:text>/</number:text><number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/></number:date-style>',
  ].join("");
  const automatic = [
    '<style:style style:name="co1" style:family="table-column"><style:table-column-properties fo:break-before="auto" style:column-width="4.5cm"/></style:style>',
    '<style:style style:name="co2" style:family="table-column"><style:table-column-properties fo:break-before="auto" style:column-width="0.9cm"/></style:style>',
    '<style:style style:name="co3" style:family="table-column"><style:table-column-properties fo:break-before="auto" style:column-width="2.258cm"/></style:style>',
    '<style:style style:name="ro1" style:family="table-row"><style:table-row-properties style:row-height="0.452cm" fo:break-before="auto" style:use-optimal-row-height="true"/></style:style>',
    '<style:style style:name="ro2" style:family="table-row"><style:table-row-properties style:row-height="1.2cm" fo:break-before="auto" style:use-optimal-row-height="false"/></style:style>',
    '<style:style style:name="ta1" style:family="table" style:master-page-name="Default"><style:table-properties table:display="true" style:writing-mode="lr-tb"/></style:style>',
    '<style:style style:name="ta2" style:family="table" style:master-page-name="Default"><style:table-properties table:display="false" style:writing-mode="lr-tb"/></style:style>',
    dataStyles,
    '<style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Default"><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"/></style:style>',
    '<style:style style:name="ce2" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N11"><style:text-properties fo:font-style="italic"/></style:style>',
    '<style:style style:name="ce3" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N104"/>',
    '<style:style style:name="ce4" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N37"/>',
    '<style:style style:name="ce5" style:family="table-cell" style:parent-style-name="Heading" style:data-style-name="N4"/>',
  ].join("");
  const text = (value: string) => `<text:p>${value}</text:p>`;
  const row = (cells: string, style = "ro1", extra = "") =>
    `<table:table-row table:style-name="${style}"${extra}>${cells}</table:table-row>`;
  const cell = (attributes: string, shown: string) =>
    `<table:table-cell ${attributes} calcext:value-type="string">${text(shown)}</table:table-cell>`;
  const sheet = [
    '<table:table table:name="Summary" table:style-name="ta1">',
    '<table:table-column table:style-name="co1" table:default-cell-style-name="Default"/>',
    '<table:table-column table:style-name="co2" table:visibility="collapse" table:default-cell-style-name="Default"/>',
    '<table:table-column table:style-name="co3" table:number-columns-repeated="1022" table:default-cell-style-name="Default"/>',
    row(
      `${cell('table:style-name="ce1" office:value-type="string" table:number-columns-spanned="3" table:number-rows-spanned="1"', "Merged heading")}<table:covered-table-cell/><table:covered-table-cell/><table:table-cell table:number-columns-repeated="1021"/>`,
    ),
    row(
      `${cell('office:value-type="string" office:string-value="PLANT_STRINGVALUE"', "Rate")}${cell('office:value-type="string"', "PLANT_HIDDENCOLUMN")}<table:table-cell table:style-name="ce2" office:value-type="percentage" office:value="0.25" calcext:value-type="percentage"><text:p>25.0%</text:p><office:annotation><dc:creator>PLANT_COMMENT_AUTHOR</dc:creator><text:p>PLANT_COMMENT</text:p></office:annotation></table:table-cell><table:table-cell table:style-name="ce3" office:value-type="currency" office:currency="GBP" office:value="-1234.5" calcext:value-type="currency"><text:p>-£1,234.50</text:p></table:table-cell>`,
      "ro2",
    ),
    row(cell('office:value-type="string"', "PLANT_HIDDENROW"), "ro1", ' table:visibility="collapse"'),
    row(
      `<table:table-cell table:style-name="ce4" office:value-type="date" office:date-value="2023-08-03T14:30:00" calcext:value-type="date"><text:p>03/08/2023</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2"/><table:table-cell table:style-name="ce5" office:value-type="float" office:value="3.14159" calcext:value-type="float"><text:p>3.14</text:p></table:table-cell>`,
    ),
    row(
      `${cell('table:number-columns-spanned="1" table:number-rows-spanned="2" office:value-type="string"', "Two rows")}<table:table-cell/><table:table-cell table:style-name="ce1" office:value-type="float" office:value="7" calcext:value-type="float"><text:p>7</text:p></table:table-cell>`,
    ),
    row(
      `<table:covered-table-cell office:value-type="string" calcext:value-type="string"><text:p>PLANT_COVERED</text:p></table:covered-table-cell><table:table-cell/><table:table-cell office:value-type="string" calcext:value-type="string"><text:p>Beside</text:p></table:table-cell>`,
    ),
    row(
      '<table:table-cell table:number-columns-repeated="1024"/>',
      "ro1",
      ' table:number-rows-repeated="1048570"',
    ),
    "</table:table>",
    `<table:table table:name="StaffList" table:style-name="ta2"><table:table-column table:style-name="co1"/>${row(cell('office:value-type="string"', "PLANT_HIDDENSHEET"))}</table:table>`,
    '<table:named-expressions><table:named-range table:name="PLANT_NAME" table:base-cell-address="$StaffList.$A$1" table:cell-range-address="$StaffList.$A$1:.$A$1"/></table:named-expressions>',
  ].join("");
  const content = `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${odfNs} ${number} xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"><office:scripts/><office:automatic-styles>${automatic}</office:automatic-styles><office:body><office:spreadsheet>${sheet}</office:spreadsheet></office:body></office:document-content>`;
  const styles = `<?xml version="1.0" encoding="UTF-8"?><office:document-styles ${odfNs} ${number}><office:styles><style:default-style style:family="table-cell"><style:text-properties style:font-name="Liberation Sans"/></style:default-style><style:style style:name="Default" style:family="table-cell"/><style:style style:name="Heading" style:family="table-cell" style:parent-style-name="Default"><style:text-properties fo:font-weight="bold"/></style:style><style:style style:name="PLANT_STYLENAME" style:display-name="PLANT_STYLEDISPLAY" style:family="table-cell"/></office:styles></office:document-styles>`;
  return odf("application/vnd.oasis.opendocument.spreadsheet", content, {
    "styles.xml": styles,
    "Basic/Standard/Module1.xml": "PLANT_MACRO",
    "Object 1/content.xml": `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${odfNs}><office:body><office:chart>PLANT_OBJECT</office:chart></office:body></office:document-content>`,
  });
}

/**
 * A one-slide presentation as PowerPoint writes it with pictures: each given picture shown (an SVG as
 * PowerPoint 365 writes one, its PNG copy shown and the SVG referred to from an extension), and, when
 * asked, an embedded object whose preview is a metafile with text.
 */
export function powerPointWithPictures(
  pictures: {
    name: string;
    bytes: Uint8Array;
    svg?: { name: string; bytes: Uint8Array };
    descr?: string;
    crop?: string;
  }[],
  options: { objectPreview?: Uint8Array } = {},
): Uint8Array {
  const shapes: string[] = [];
  const slideRels: string[] = [rel("rId1", "slideLayout", "../slideLayouts/slideLayout1.xml")];
  const media: Record<string, Uint8Array> = {};
  pictures.forEach((picture, index) => {
    const id = `rId${10 + index * 2}`;
    slideRels.push(rel(id, "image", `../media/${picture.name}`));
    media[`ppt/media/${picture.name}`] = picture.bytes;
    let extension = "";
    if (picture.svg) {
      slideRels.push(rel(`rId${11 + index * 2}`, "image", `../media/${picture.svg.name}`));
      media[`ppt/media/${picture.svg.name}`] = picture.svg.bytes;
      extension = `<a:extLst><a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}"><asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" r:embed="rId${11 + index * 2}"/></a:ext></a:extLst>`;
    }
    shapes.push(
      `<p:pic><p:nvPicPr><p:cNvPr id="${index + 2}" name="Picture ${index + 1}"${picture.descr ? ` descr="${picture.descr}"` : ""}/><p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="${id}">${extension}</a:blip>${picture.crop ? `<a:srcRect ${picture.crop}/>` : ""}<a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr><a:xfrm><a:off x="${index * 1000000}" y="0"/><a:ext cx="900000" cy="900000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>`,
    );
  });
  if (options.objectPreview) {
    slideRels.push(
      rel("rId90", "oleObject", "../embeddings/oleObject1.bin"),
      rel("rId91", "image", "../media/preview.emf"),
    );
    media["ppt/embeddings/oleObject1.bin"] = strToU8("PLANT_OLE");
    media["ppt/media/preview.emf"] = options.objectPreview;
    shapes.push(
      `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="90" name="Object 1"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="0" y="0"/><a:ext cx="1" cy="1"/></p:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/presentationml/2006/ole"><p:oleObj progId="Package" r:id="rId90"><p:embed/><p:pic><p:nvPicPr><p:cNvPr id="0" name=""/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="rId91"/></p:blipFill><p:spPr/></p:pic></p:oleObj></a:graphicData></a:graphic></p:graphicFrame>`,
    );
  }
  return zip({
    "[Content_Types].xml": xml(
      `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="gif" ContentType="image/gif"/><Default Extension="emf" ContentType="image/x-emf"/><Default Extension="svg" ContentType="image/svg+xml"/><Override PartName="/ppt/presentation.xml" ContentType="${presentationType("presentation.main")}"/><Override PartName="/ppt/slides/slide1.xml" ContentType="${presentationType("slide")}"/><Override PartName="/ppt/slideMasters/slideMaster1.xml" ContentType="${presentationType("slideMaster")}"/><Override PartName="/ppt/slideLayouts/slideLayout1.xml" ContentType="${presentationType("slideLayout")}"/></Types>`,
    ),
    "_rels/.rels": rels(rel("rId1", "officeDocument", "ppt/presentation.xml")),
    "ppt/presentation.xml": xml(
      `<p:presentation ${pml}><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/></p:presentation>`,
    ),
    "ppt/_rels/presentation.xml.rels": rels(
      rel("rId1", "slideMaster", "slideMasters/slideMaster1.xml"),
      rel("rId2", "slide", "slides/slide1.xml"),
    ),
    "ppt/slideMasters/slideMaster1.xml": xml(
      `<p:sldMaster ${pml}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/></p:spTree></p:cSld><p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst></p:sldMaster>`,
    ),
    "ppt/slideMasters/_rels/slideMaster1.xml.rels": rels(
      rel("rId1", "slideLayout", "../slideLayouts/slideLayout1.xml"),
    ),
    "ppt/slideLayouts/slideLayout1.xml": xml(
      `<p:sldLayout ${pml}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/></p:spTree></p:cSld></p:sldLayout>`,
    ),
    "ppt/slideLayouts/_rels/slideLayout1.xml.rels": rels(
      rel("rId1", "slideMaster", "../slideMasters/slideMaster1.xml"),
    ),
    "ppt/slides/slide1.xml": xml(
      `<p:sld ${pml}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${textShape(50, "Title", "Pictures slide")}${shapes.join("")}</p:spTree></p:cSld></p:sld>`,
    ),
    "ppt/slides/_rels/slide1.xml.rels": rels(...slideRels),
    ...media,
  });
}

const odfDrawing =
  'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"';
const odfFrame = (
  name: string,
  images: string[],
  alt: { title?: string; desc?: string } = {},
  anchor = "as-char",
) =>
  `<draw:frame draw:style-name="fr1" draw:name="${name}" text:anchor-type="${anchor}" svg:width="4.5cm" svg:height="2.25cm" draw:z-index="0">${images.map((href) => `<draw:image xlink:href="${href}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad" draw:mime-type="${href.endsWith(".svg") ? "image/svg+xml" : "image/png"}"/>`).join("")}${alt.title ? `<svg:title>${alt.title}</svg:title>` : ""}${alt.desc ? `<svg:desc>${alt.desc}</svg:desc>` : ""}</draw:frame>`;

/**
 * A text document as LibreOffice Writer 7 writes one with pictures and a page style: a photo with PNG text and
 * alternative text, an SVG with its PNG copy, a picture in a hidden section, a hidden paragraph, tracked
 * changes and a comment; in styles.xml a landscape page with a header (logo with XMP), an even-page header, a
 * footer with hidden text, a header switched off, and an unused page style; plus properties and a macro.
 */
export function writerDocumentWithPictures(
  options: { picture?: { name: string; bytes: Uint8Array; clip?: string } } = {},
): Uint8Array {
  const extra = options.picture
    ? `<text:p>${odfFrame("Extra", [`Pictures/${options.picture.name}`]).replace('draw:style-name="fr1"', 'draw:style-name="fr2"')}</text:p>`
    : "";
  const clip = options.picture?.clip
    ? `<style:style style:name="fr2" style:family="graphic"><style:graphic-properties fo:clip="${options.picture.clip}"/></style:style>`
    : "";
  const content = `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${odfNs} ${odfDrawing}><office:automatic-styles><style:style style:name="T1" style:family="text"><style:text-properties text:display="none"/></style:style><style:style style:name="fr1" style:family="graphic" style:parent-style-name="Graphics"/>${clip}</office:automatic-styles><office:body><office:text><text:tracked-changes><text:changed-region xml:id="ct1" text:id="ct1"><text:deletion><office:change-info><dc:creator>PLANT_DELETER</dc:creator><dc:date>2023-08-01T00:00:00</dc:date></office:change-info><text:p>PLANT_DELETED</text:p></text:deletion></text:changed-region></text:tracked-changes><text:h text:outline-level="1">Pictured report</text:h><text:p>Photo: ${odfFrame("Image1", ["Pictures/10000001.png"], { title: "Team photo", desc: "Five staff at the opening" })} taken in 2023<text:change text:change-id="ct1"/>.</text:p><text:p>Diagram: ${odfFrame("Image2", ["Pictures/20000002.svg", "Pictures/20000003.png"])}</text:p><table:table table:name="Signatures"><table:table-column table:number-columns-repeated="2"/><table:table-row><table:table-cell office:value-type="string"><text:p>Signed</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>${odfFrame("Signature", ["Pictures/60000007.png"], {}, "char")}</text:p></table:table-cell></table:table-row></table:table><text:section text:name="Secret" text:display="none"><text:p>PLANT_HIDDENSECTION ${odfFrame("Image3", ["Pictures/30000004.png"])}</text:p></text:section><text:p>PLANT_HIDDENPARAGRAPH<text:hidden-paragraph text:condition="ooow:1==1" text:is-hidden="true"/></text:p><text:p>Commented<office:annotation><dc:creator>PLANT_COMMENT_AUTHOR</dc:creator><text:p>PLANT_COMMENT</text:p></office:annotation> and <text:span text:style-name="T1">PLANT_HIDDENSPAN</text:span>shown</text:p>${extra}</office:text></office:body></office:document-content>`;
  const styles = `<?xml version="1.0" encoding="UTF-8"?><office:document-styles ${odfNs} ${odfDrawing}><office:styles><style:style style:name="Standard" style:family="paragraph"/></office:styles><office:automatic-styles><style:style style:name="MT1" style:family="text"><style:text-properties text:display="none"/></style:style><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="29.7cm" fo:page-height="21.001cm" style:print-orientation="landscape" fo:margin-top="1cm" fo:margin-bottom="1cm" fo:margin-left="2cm" fo:margin-right="2cm"/></style:page-layout><style:page-layout style:name="pm2"><style:page-layout-properties fo:page-width="21.001cm" fo:page-height="29.7cm"/></style:page-layout></office:automatic-styles><office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"><style:header><text:p>Council header ${odfFrame("Logo", ["Pictures/40000005.jpg"], { desc: "Council logo" })}</text:p></style:header><style:header-left><text:p>Even page header</text:p></style:header-left><style:footer><text:p>Page footer<text:span text:style-name="MT1">PLANT_FOOTERHIDDEN</text:span></text:p></style:footer><style:footer-first style:display="false"><text:p>PLANT_FOOTEROFF</text:p></style:footer-first></style:master-page><style:master-page style:name="Unused" style:page-layout-name="pm2"><style:header><text:p>PLANT_UNUSEDPAGESTYLE</text:p></style:header></style:master-page></office:master-styles></office:document-styles>`;
  const parts: Record<string, string | Uint8Array> = {
    "styles.xml": styles,
    "Basic/Standard/Module1.xml": "PLANT_MACRO",
    "Pictures/10000001.png": pngWithText("PLANT_PHOTOTEXT"),
    "Pictures/20000002.svg": svgWithHiddenText(),
    "Pictures/20000003.png": pngWithText("PLANT_SVGCOPYTEXT"),
    "Pictures/30000004.png": pngWithText("PLANT_SECTIONPICTURE"),
    "Pictures/40000005.jpg": jpegWithXmp("PLANT_LOGOXMP"),
    "Pictures/60000007.png": pngWithText("PLANT_SIGNATURETEXT"),
  };
  if (options.picture) parts[`Pictures/${options.picture.name}`] = options.picture.bytes;
  return zipSync({
    mimetype: [strToU8("application/vnd.oasis.opendocument.text"), { level: 0 }],
    "content.xml": strToU8(content),
    "meta.xml": strToU8(odfMeta),
    "Thumbnails/thumbnail.png": strToU8("PLANT_THUMBNAIL"),
    "META-INF/manifest.xml": strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/></manifest:manifest>',
    ),
    ...Object.fromEntries(
      Object.entries(parts).map(([name, value]) => [
        name,
        typeof value === "string" ? strToU8(value) : value,
      ]),
    ),
  });
}
