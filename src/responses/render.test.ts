import fc from "fast-check";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { complaintRightsText } from "./complaint-rights.ts";
import {
  continuingSentence,
  replyBlocks,
  replyTitle,
  requestRestatement,
  sectionHeadings,
  textRuns,
} from "./document.ts";
import { renderReplyDocx } from "./docx.ts";
import { gangsReply, westmarchLetterhead } from "./examples/gangs.ts";
import { escapeHtml, renderReplyHtml } from "./html.ts";
import { decisionSentence, replyCitations } from "./outcome.ts";
import { renderReplyPdf } from "./pdf.ts";
import { replyPlainText } from "./plain-text.ts";
import { type Reply, replySchema } from "./reply.ts";
import { docxParagraphs, draftFrom, normaliseSpace, pdfText, testLetterFonts } from "./testing.ts";

/** A cost refusal with an estimate table, under FOISA, to a requester with no address on file. */
const foisaCostRefusal = replySchema.parse({
  reference: "01.FOISA.26.000031",
  regime: "foisa",
  date: "2026-04-02",
  receivedDate: "2026-03-09",
  requester: { name: "Hannah Cole", email: "h.cole@university.example" },
  questions: [
    { text: "All stop and search records for 2015 to 2025, with the grounds recorded.", decision: "refused" },
  ],
  refusal: {
    ground: "cost",
    reasons: ["Grounds are recorded as free text in each record and would have to be read one by one."],
    estimate: {
      limitPence: 60_000,
      lines: [
        { activity: "locating", basis: "Searching ten years of records by station", hours: 15 },
        { activity: "retrieving", basis: "About 4,000 records at 1 minute each", hours: 66.5 },
      ],
    },
  },
  advice: [
    {
      purpose: "narrowing",
      text: "A request for one year, or for the totals without the recorded grounds, could be answered within the limit.",
    },
  ],
  signOff: { name: "Oscar Nwosu", jobTitle: "Information Rights Officer" },
});

/** An EIR reply with a quote, an ampersand and a Welsh place name in the question. */
const eirNotHeld = replySchema.parse({
  reference: "01.EIR.26.000005",
  regime: "eir",
  date: "2026-03-20",
  receivedDate: "2026-03-02",
  requester: { name: "" },
  questions: [
    {
      text: 'Noise readings at "Pen-y-Ffordd" quarry & the Cwm Rhôs site, 2019',
      decision: "not-held",
      notHeldExplanation: "Monitoring at both sites began in 2021.",
    },
  ],
  exemptions: [
    { exemptionIds: ["eir-12-4-a"], questionNumbers: [1], reasons: ["No readings were taken in 2019."] },
  ],
  disclosure: [],
});

/** A Scottish authority's environmental reply: part withheld under EISR reg 10(5)(b), part not held. */
const eisrRefusal = replySchema.parse({
  reference: "01.EISR.26.000009",
  regime: "eisr",
  date: "2026-03-20",
  receivedDate: "2026-03-02",
  requester: { name: "Morag Fraser", email: "morag.fraser@example.org" },
  questions: [
    { text: "The legal advice on the enforcement notice at Carnbee quarry.", decision: "withheld" },
    {
      text: "Dust readings at the quarry in 2019.",
      decision: "not-held",
      notHeldExplanation: "Dust monitoring at the quarry began in 2021.",
    },
  ],
  exemptions: [
    {
      exemptionIds: ["eisr-10-5-b"],
      questionNumbers: [1],
      harm: {
        interest: "the course of justice",
        likelihood: "would-be-likely-to",
        reasoning: ["The notice is under appeal to the sheriff court and the advice is privileged."],
      },
      publicInterest: {
        favouringDisclosure: ["Transparency about how the council enforces planning control."],
        favouringWithholding: ["The council must be able to take legal advice in confidence."],
        balance: "While the appeal is live, the public interest lies in withholding the advice.",
      },
    },
    { exemptionIds: ["eisr-10-4-a"], questionNumbers: [2] },
  ],
  disclosure: [],
});

const replies: [string, Reply][] = [
  ["the gangs reply", gangsReply],
  ["a FOISA cost refusal", foisaCostRefusal],
  ["an EIR 'not held' refusal", eirNotHeld],
  ["an EISR refusal", eisrRefusal],
];

describe("a reply under the Environmental Information (Scotland) Regulations 2004", () => {
  const text = replyPlainText(eisrRefusal);

  it("is a refusal notice under reg 13 citing the Scottish exceptions, not the EIR 2004", () => {
    expect(replyTitle(eisrRefusal)).toBe("Environmental information request reference no: 01.EISR.26.000009");
    expect(decisionSentence(eisrRefusal)).toBe(
      "I have today decided not to disclose the requested information. It is exempt from disclosure. We do not hold some of the information you asked for. Under the Regulations, not holding information is an exception to disclosure (regulation 10(4)(a)). This response therefore serves as a Refusal Notice under regulation 13 of the Environmental Information (Scotland) Regulations 2004 (the Regulations) by virtue of the following exceptions:",
    );
    expect(replyCitations(eisrRefusal)).toEqual([
      "Regulation 10(5)(b) The course of justice",
      "Regulation 10(4)(a) Information not held",
    ]);
    expect(text).toContain("Disclosure would be likely to prejudice substantially the course of justice.");
    expect(text).toContain("Regulation 10(2)(b) requires us to apply a presumption in favour of disclosure.");
    expect(text).not.toMatch(/Regulation 1[234]\(|Information Commissioner's Office|section 50/);
  });

  it("gives the review under reg 16 and the Scottish Information Commissioner under reg 17 (reg 13(e))", () => {
    expect(text).toContain(
      "review our decision under regulation 16 of the Environmental Information (Scotland) Regulations 2004",
    );
    expect(text).toContain("within 20 working days of receiving your request for review");
    expect(text).toContain("Scottish Information Commissioner for a decision under section 47(1)");
    expect(text).toContain("as applied by regulation 17 of the Regulations");
  });
});

/** What every rendering must say: the headings, the restated request, the decision, the citations. */
function keyTexts(reply: Reply): string[] {
  const blocks = replyBlocks(reply);
  return [
    ...blocks.flatMap((block) => (block.kind === "heading" ? [block.text] : [])),
    requestRestatement,
    ...reply.questions.map((question) => question.text),
    decisionSentence(reply),
    ...replyCitations(reply),
    complaintRightsText[reply.regime][0]?.text ?? "",
    ...blocks.flatMap((block) =>
      block.kind === "table" ? [block.caption, ...block.columns, ...block.rows.flat()] : [],
    ),
  ].filter((text) => text !== "");
}

// Line breaks may fall after a hyphen or a slash; compare text with those joins closed up.
const comparable = (text: string) => normaliseSpace(text).replace(/([-/]) /g, "$1");
const unescapeHtml = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

function expectInOrder(haystack: string, needles: readonly string[], what: string): void {
  let from = 0;
  for (const needle of needles) {
    const at = haystack.indexOf(needle, from);
    expect(at, `${what}: "${needle}"`).toBeGreaterThanOrEqual(0);
    from = at + needle.length;
  }
}

describe.each(replies)("%s renders the same content everywhere", (_name, reply) => {
  const texts = keyTexts(reply);
  const headings = replyBlocks(reply).flatMap((block) => (block.kind === "heading" ? [block.text] : []));

  it("has the disclosure-log sections", () => {
    expect(headings).toContain(sectionHeadings.disclosure);
    expect(headings).toContain(sectionHeadings.complaints);
    expect(headings.at(-1)).toBe(sectionHeadings.complaints);
  });

  it("as an HTML fragment", () => {
    const html = renderReplyHtml(reply);
    const text = comparable(unescapeHtml(html));
    for (const expected of texts) expect(text, expected).toContain(comparable(expected));
    expectInOrder(text, headings.map(comparable), "HTML headings");
    expect(html).toContain('class="govuk-heading-l"');
    expect(html).toContain('class="govuk-body"');
    expect(html).toContain("govuk-list");
  });

  it("as a PDF letter", async () => {
    const pdf = await renderReplyPdf(reply, westmarchLetterhead, { compress: false, fonts: testLetterFonts });
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe("%PDF-");
    const text = comparable(pdfText(pdf));
    for (const expected of texts) expect(text, expected).toContain(comparable(expected));
    expectInOrder(text, headings.map(comparable), "PDF headings");
    expect(text).toContain("Westmarch Constabulary");
    expect(text).toContain(`Our reference: ${reply.reference}`);
    const pages = Number(/Page 1 of (\d+)/.exec(text)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(text).toContain(`Page ${pages} of ${pages}`);
  });

  it("as a Word document", async () => {
    const docx = await renderReplyDocx(reply, westmarchLetterhead);
    const text = comparable(docxParagraphs(docx).join("\n"));
    for (const expected of texts) expect(text, expected).toContain(comparable(expected));
    expectInOrder(text, headings.map(comparable), "Word headings");
    const files = unzipSync(docx);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(["word/document.xml", "word/footer1.xml", "docProps/core.xml"]),
    );
    const footer = new TextDecoder().decode(files["word/footer1.xml"]);
    expect(footer).toMatch(/PAGE/);
    expect(footer).toMatch(/NUMPAGES/);
  });

  it("as the email body", () => {
    const text = comparable(replyPlainText(reply));
    for (const expected of texts) expect(text, expected).toContain(comparable(expected));
    expectInOrder(text, headings.map(comparable), "email headings");
  });
});

describe("the letter and the web page differ only in the letter's own parts", () => {
  it("the web page never shows the requester's name or address, or the signatory", () => {
    const html = renderReplyHtml(gangsReply);
    expect(html).not.toContain("Priya Raman");
    expect(html).not.toContain("Market Street");
    expect(html).not.toContain("Olivia Okafor");
  });

  it("the letter, the Word document and the email greet the requester and sign off", async () => {
    const pdf = pdfText(
      await renderReplyPdf(gangsReply, westmarchLetterhead, { compress: false, fonts: testLetterFonts }),
    );
    const docx = docxParagraphs(await renderReplyDocx(gangsReply, westmarchLetterhead)).join("\n");
    const email = replyPlainText(gangsReply);
    for (const text of [pdf, docx, email]) {
      expect(text).toContain("Dear Priya Raman,");
      expect(text).toContain("Yours sincerely,");
      expect(text).toContain("Olivia Okafor");
    }
    expect(pdf).toContain("12 March 2026");
    expect(pdf).toContain("22 Market Street");
  });

  it("an unnamed requester is 'Sir or Madam', and the letter closes 'Yours faithfully'", () => {
    const email = replyPlainText(eirNotHeld);
    expect(email.startsWith("Dear Sir or Madam,")).toBe(true);
    expect(email).toContain("Yours faithfully,");
  });
});

describe("renderings are pure: the same reply gives the same file", () => {
  it("PDF", async () => {
    const first = await renderReplyPdf(gangsReply, westmarchLetterhead, { fonts: testLetterFonts });
    const second = await renderReplyPdf(gangsReply, westmarchLetterhead, { fonts: testLetterFonts });
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });

  it("Word: the same document and properties, dated by the reply (up to the docx package's random link ids)", async () => {
    const first = unzipSync(await renderReplyDocx(gangsReply, westmarchLetterhead));
    const second = unzipSync(await renderReplyDocx(gangsReply, westmarchLetterhead));
    const text = (bytes: Uint8Array | undefined) =>
      new TextDecoder().decode(bytes).replace(/rId[A-Za-z0-9_-]{12,}/g, "rId(link)");
    expect(Object.keys(second)).toEqual(Object.keys(first));
    for (const path of Object.keys(first)) expect(text(first[path]), path).toBe(text(second[path]));
    const core = new TextDecoder().decode(first["docProps/core.xml"]);
    expect(core).toContain(
      '<dcterms:created xsi:type="dcterms:W3CDTF">2026-03-12T00:00:00Z</dcterms:created>',
    );
  });
});

describe("tables and lists", () => {
  it("the cost estimate is a table with a total, and the cost sentence names the rate and the limit", () => {
    const table = replyBlocks(foisaCostRefusal).find((block) => block.kind === "table");
    expect(table).toMatchObject({
      columns: ["Activity", "How the time is estimated", "Hours"],
      rows: [
        ["Locating the information", "Searching ten years of records by station", "15"],
        ["Retrieving the information", "About 4,000 records at 1 minute each", "66.5"],
        ["Total", "", "81.5"],
      ],
    });
    expect(replyPlainText(foisaCostRefusal)).toContain(
      "At no more than £15 an hour for staff time, as regulation 3 of the Freedom of Information (Fees for Required Disclosure) (Scotland) Regulations 2004 allows, the projected cost is £1,222.50, which exceeds the prescribed amount of £600.",
    );
  });

  it("HTML tables have a caption, header cells and GOV.UK classes", () => {
    const html = renderReplyHtml(gangsReply);
    expect(html).toContain(
      '<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">',
    );
    expect(html).toContain('<th scope="col" class="govuk-table__header">Measure</th>');
    expect(html).toContain('<td class="govuk-table__cell">27</td>');
  });

  it("the heading level can start at 2 inside a page with its own h1", () => {
    const html = renderReplyHtml(gangsReply, { headingLevel: 2 });
    expect(html).toMatch(/^<div class="app-reply">\n<h2 class="govuk-heading-l">/);
    expect(html).not.toContain("<h1");
  });
});

describe("escaping", () => {
  const ourTags = /<\/?(?:div|h[1-6]|p|ol|ul|li|table|caption|thead|tbody|tr|th|td|strong|a)(?: [^<>]*)?>/g;

  it("escapes any text the reply carries", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 60 }),
        fc.string({ maxLength: 60 }),
        (question, advice) => {
          const reply = draftFrom((input) => {
            input.questions[0]!.text = question.trim() === "" ? "x" : question;
            input.advice = [{ purpose: "other", text: advice.trim() === "" ? "y" : advice }];
          });
          const html = renderReplyHtml(reply);
          const outside = html.replace(ourTags, "");
          expect(outside).not.toMatch(/[<>]/);
          expect(html).toContain(escapeHtml(reply.questions[0]!.text));
        },
      ),
    );
  });

  it("escapeHtml leaves no markup characters", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(escapeHtml(text)).not.toMatch(/[<>"']/);
        expect(unescapeHtml(escapeHtml(text))).toBe(text);
      }),
    );
  });

  it("links are http(s) only: the schema refuses others and the renderer will not print them", () => {
    const result = replySchema.safeParse({
      ...structuredClone(gangsReply),
      advice: [{ text: "Click", link: { url: "javascript:alert(1)", text: "here" } }],
    });
    expect(result.success).toBe(false);
    const forced: Reply = {
      ...gangsReply,
      advice: [{ purpose: "other", text: "Click", link: { url: "javascript:alert(1)", text: "here" } }],
    };
    const html = renderReplyHtml(forced);
    expect(html).not.toContain("javascript:");
    expect(html).toContain('<p class="govuk-body">here</p>');
    expect(html).toContain('<a class="govuk-link" href="https://ico.org.uk/make-a-complaint/">');
  });
});

describe("words typed to finish a sentence", () => {
  it("read as one sentence: the typed capital and full stop go, a name or an acronym stays", () => {
    const crime = "the prevention or detection of crime";
    expect(continuingSentence("The prevention or detection of crime.", crime)).toBe(crime);
    expect(continuingSentence("Prevention of crime", crime)).toBe("prevention of crime");
    expect(continuingSentence("Any investigation we are running", crime)).toBe(
      "any investigation we are running",
    );
    expect(continuingSentence("Police Scotland's operations", crime)).toBe("Police Scotland's operations");
    expect(continuingSentence("HMRC's collection of tax", crime)).toBe("HMRC's collection of tax");
    expect(continuingSentence("Westmarch's finances", crime)).toBe("Westmarch's finances");
  });

  it("the harm test's sentence continues with the interest as typed in the middle of it", () => {
    const reply = structuredClone(gangsReply);
    reply.exemptions[0]!.harm!.interest = "The prevention or detection of crime.";
    const html = renderReplyHtml(reply);
    expect(html).toMatch(/would be likely to prejudice the prevention or detection of crime\.</);
    expect(html).not.toContain("prejudice The");
  });
});

describe("web addresses typed in the reply's text", () => {
  const address =
    "https://www.westmarch.police.example/about-us/publication-scheme/what-we-spend-and-how-we-spend-it/gangs-matrix-quarterly-figures-2025-26";
  const reply: Reply = {
    ...gangsReply,
    reasons: [
      `The figures are published at ${address}. See also (https://en.wikipedia.org/wiki/Gang_(disambiguation)).`,
    ],
  };

  it("are links, without the sentence's full stop or closing bracket", () => {
    expect(textRuns(`See ${address}. Or (https://en.wikipedia.org/wiki/Gang_(disambiguation)).`)).toEqual([
      { text: "See " },
      { text: address, href: address },
      { text: ". Or (" },
      {
        text: "https://en.wikipedia.org/wiki/Gang_(disambiguation)",
        href: "https://en.wikipedia.org/wiki/Gang_(disambiguation)",
      },
      { text: ")." },
    ]);
    expect(textRuns("No address here, nor in http:// or ftp://x.example")).toEqual([
      { text: "No address here, nor in http:// or ftp://x.example" },
    ]);
  });

  it("are links on the web page, in the PDF and in the Word document", async () => {
    const html = renderReplyHtml(reply);
    expect(html).toContain(`at <a class="govuk-link" href="${address}">${address}</a>. See also`);
    const pdf = new TextDecoder("latin1").decode(
      await renderReplyPdf(reply, westmarchLetterhead, { compress: false, fonts: testLetterFonts }),
    );
    expect(pdf).toContain(`/URI (${address})`);
    const docx = new TextDecoder().decode(
      unzipSync(await renderReplyDocx(reply, westmarchLetterhead))["word/_rels/document.xml.rels"],
    );
    expect(docx).toContain(`Target="${address}"`);
  });
});

describe("the PDF letter prints every character the reply has", () => {
  it("keeps Welsh, accented names and typographic marks as written (no Windows-1252 reduction)", async () => {
    const reply = draftFrom((input) => {
      input.requester = { name: "Zoë Łukasz Ó Dónaill Nguyễn", address: "Tŷ Gwyn\nFfordd y Ŵyr\nCaerdydd" };
      input.questions[0]!.text = "Noise at “Cwm Rhôs” – ŵ ŷ Ŵ Ŷ — readings ≥ 55 dB, costs over €5’s worth";
    });
    const text = pdfText(
      await renderReplyPdf(reply, westmarchLetterhead, { compress: false, fonts: testLetterFonts }),
    );
    expect(text).toContain("Dear Zoë Łukasz Ó Dónaill Nguyễn,");
    expect(text).toContain("Tŷ Gwyn Ffordd y Ŵyr Caerdydd");
    expect(text).toContain("Noise at “Cwm Rhôs” – ŵ ŷ Ŵ Ŷ — readings ≥ 55 dB, costs over €5’s worth");
  });
});
