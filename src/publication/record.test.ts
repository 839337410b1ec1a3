import { describe, expect, it } from "vitest";
import { gangsReply, parseReply, renderReplyHtml } from "../responses/index.ts";
import { draftFrom } from "../responses/testing.ts";
import { buildPublishedRecord, OWN_DATA_QUESTION, publicReply, replySearchText } from "./record.ts";
import { createRedactor, type RequesterIdentifiers } from "./redaction.ts";

const requester: RequesterIdentifiers = {
  name: "Priya Raman",
  email: "priya.raman@westmarch-gazette.example",
  address: "Westmarch Gazette\n22 Market Street\nWestmarch WM2 3BD",
  organisation: "Westmarch Gazette",
  individual: true,
};

describe("the published record", () => {
  it("is built from an allow-list: no requester, signatory or subject access reference", () => {
    const reply = draftFrom((input) => {
      input.subjectAccessReference = "01.SAR.26.000003";
      input.questions = [
        ...(input.questions ?? []),
        {
          text: "And what do you hold about me, Priya Raman?",
          decision: "not-held",
          requestersOwnData: true,
        },
      ];
    });
    const published = publicReply(reply, (text) => text);
    expect(published.requester).toEqual({ name: "" });
    expect(published.signOff).toBeUndefined();
    expect(published.subjectAccessReference).toBeUndefined();
    expect(published.questions.at(-1)!.text).toBe(OWN_DATA_QUESTION);
    // Everything else survives unchanged, and the result is still a valid reply.
    expect(parseReply(published).exemptions).toEqual(reply.exemptions);
    expect(published.disclosure).toEqual(reply.disclosure);
    expect(renderReplyHtml(published)).not.toContain("Olivia Okafor");
  });

  it("drops a link whose address had something masked", () => {
    const reply = draftFrom((input) => {
      input.advice = [
        {
          text: "Write to us.",
          link: { url: "https://example.org/?to=priya.raman@westmarch-gazette.example", text: "Form" },
        },
      ];
    });
    const published = publicReply(reply, (text) =>
      text.replace("priya.raman@westmarch-gazette.example", "[redacted]"),
    );
    expect(published.advice[0]!.link).toBeUndefined();
  });

  it("searches the reply's words, not its heading or the complaint rights every reply carries", () => {
    const text = replySearchText(gangsReply);
    expect(text).toContain("How many known gangs");
    expect(text).toContain("Known gangs with at least one member under 18 27");
    expect(text).not.toContain("Information Commissioner");
    expect(text).not.toContain("reference no:");
  });

  it("facets: outcome, exemptions by section, year; the summary is the first question", () => {
    const record = buildPublishedRecord(
      {
        reference: gangsReply.reference,
        topic: "Gangs",
        reply: gangsReply,
        attachments: [],
        checkedFileIds: [],
      },
      createRedactor({ requester }),
      requester,
    );
    expect(record).toMatchObject({
      outcome: "partially-withheld",
      exemptions: ["foia-31"],
      year: 2026,
      replyDate: "2026-03-12",
      title: "How many known gangs are there in each London borough? (and 1 more question)",
    });
  });

  it("refuses to publish when something identifying would get through", () => {
    // A redactor that masks nothing stands in for a masking bug: the last check still stops it.
    const reply = draftFrom((input) => {
      input.reasons = ["Thank you, Priya Raman."];
    });
    expect(() =>
      buildPublishedRecord(
        { reference: reply.reference, topic: null, reply, attachments: [], checkedFileIds: [] },
        { matchers: [], keep: new Set() },
        requester,
      ),
    ).toThrow(/requester's details/);
  });
});
