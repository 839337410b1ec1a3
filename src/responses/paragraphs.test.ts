import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exemptions } from "../law/index.ts";
import { gangsReply } from "./examples/gangs.ts";
import {
  defaultParagraphLibrary,
  fillPlaceholders,
  libraryParagraphSchema,
  paragraphsFor,
  placeholders,
  placeholdersIn,
  placeholderValues,
} from "./paragraphs.ts";

describe("fillPlaceholders", () => {
  it("fills the known placeholders from a reply", () => {
    const values = placeholderValues(gangsReply, "Westmarch Constabulary");
    const filled = fillPlaceholders(
      "Dear {{requesterName}}, about request {{ reference }} received on {{receivedDate}}, answered {{date}} by {{authorityName}}.",
      values,
    );
    expect(filled).toEqual({
      text: "Dear Priya Raman, about request 01.FOI.26.000014 received on 20 February 2026, answered 12 March 2026 by Westmarch Constabulary.",
      missing: [],
      unknown: [],
    });
  });

  it("leaves missing and unknown placeholders in place and reports them", () => {
    expect(fillPlaceholders("{{authorityName}} / {{refrence}} / {{reference}}", { reference: "R1" })).toEqual(
      {
        text: "{{authorityName}} / {{refrence}} / R1",
        missing: ["authorityName"],
        unknown: ["refrence"],
      },
    );
  });

  it("inserts values as plain text, never expanding a placeholder inside a value", () => {
    const filled = fillPlaceholders("{{requesterName}} asked {{reference}}", {
      requesterName: "{{reference}}",
      reference: "R1",
    });
    expect(filled.text).toBe("{{reference}} asked R1");
    expect(fillPlaceholders("{{toString}} {{constructor}}", {}).unknown).toEqual(["toString", "constructor"]);
  });

  it("changes nothing but the placeholders", () => {
    fc.assert(
      fc.property(
        fc.string().filter((text) => !text.includes("{{")),
        fc.string().filter((text) => text !== ""),
        (text, reference) => {
          expect(fillPlaceholders(text, { reference }).text).toBe(text);
          const filled = fillPlaceholders(`${text}{{reference}}${text}`, { reference });
          expect(filled.text).toBe(`${text}${reference}${text}`);
        },
      ),
    );
  });
});

describe("the library's model", () => {
  it("refuses unknown placeholders and exemptions a manager might type", () => {
    const result = libraryParagraphSchema.safeParse({
      key: "advice:custom",
      kind: "advice",
      exemptionId: "foia-99-1",
      title: "Custom",
      text: "Dear {{requestorName}}",
    });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((issue) => issue.message) ?? [];
    expect(messages).toContain("Choose an exemption from the catalogue");
    expect(messages.join(" ")).toMatch(
      /Unknown placeholder \{\{requestorName\}\}: use \{\{requesterName\}\}/,
    );
  });

  it("lists the placeholders a text uses", () => {
    expect(placeholdersIn("{{a}} {{ b }} {{a}}")).toEqual(["a", "b"]);
    expect(Object.keys(placeholders)).toContain("reference");
  });
});

describe("the default library", () => {
  it("is valid, with unique keys", () => {
    for (const paragraph of defaultParagraphLibrary) {
      expect(libraryParagraphSchema.safeParse(paragraph).success, paragraph.key).toBe(true);
    }
    const keys = defaultParagraphLibrary.map((paragraph) => paragraph.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("holds every sample from the catalogue", () => {
    for (const entry of exemptions) {
      const own = paragraphsFor(defaultParagraphLibrary, { exemptionId: entry.id });
      if (entry.samples.harm)
        expect(
          own.some((p) => p.kind === "harm" && p.text === entry.samples.harm),
          entry.id,
        ).toBe(true);
      for (const factor of entry.samples.publicInterest?.favouringDisclosure ?? []) {
        expect(
          own.some((p) => p.kind === "public-interest-for" && p.text === factor),
          entry.id,
        ).toBe(true);
      }
      for (const factor of entry.samples.publicInterest?.favouringWithholding ?? []) {
        expect(
          own.some((p) => p.kind === "public-interest-against" && p.text === factor),
          entry.id,
        ).toBe(true);
      }
    }
  });

  it("offers the paragraphs for a place in the reply", () => {
    const harm = paragraphsFor(defaultParagraphLibrary, { exemptionId: "foia-31-1-a", kind: "harm" });
    expect(harm.map((p) => p.title)).toEqual(["Section 31(1)(a) Law enforcement: harm"]);
    const advice = paragraphsFor(defaultParagraphLibrary, { kind: "advice" }).map((p) => p.key);
    expect(advice).toEqual(
      expect.arrayContaining(["advice:narrowing", "advice:published", "advice:subject-access"]),
    );
  });
});
