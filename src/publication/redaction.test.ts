import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  emailPattern,
  findUkPhones,
  niNumberPattern,
  phraseRegExp,
  postcodePattern,
} from "../files/index.ts";
import {
  addressParts,
  createRedactor,
  findMasks,
  maskText,
  nameParts,
  REDACTED,
  type RequesterIdentifiers,
  ruleProblem,
  segments,
} from "./redaction.ts";

const priya: RequesterIdentifiers = {
  name: "Priya Raman",
  email: "priya.raman@westmarch-gazette.example",
  address: "Westmarch Gazette\n22 Market Street\nWestmarch WM2 3BD",
  organisation: "Westmarch Gazette",
  individual: true,
};

const patternsOnly = createRedactor({});
const phones = (text: string) => [...findUkPhones(text)].map(([start, end]) => text.slice(start, end));

describe("masking by pattern", () => {
  it("masks UK phone numbers however they are written", () => {
    for (const phone of [
      "01632 960001",
      "01632960001",
      "020 7946 0018",
      "(01632) 960 001",
      "07700 900123",
      "07700-900-123",
      "0121 496 0000",
      "+44 20 7946 0018",
      "+44 (0)20 7946 0018",
      "+447700900123",
      "0044 7700 900123",
    ]) {
      expect(phones(`Call ${phone} today.`), phone).toEqual([phone]);
      expect(maskText(`Call ${phone} today.`, patternsOnly)).toBe(`Call ${REDACTED} today.`);
    }
  });

  it("finds two numbers written next to each other", () => {
    expect(phones("Ring 01632 960001 01632 960002.")).toEqual(["01632 960001", "01632 960002"]);
  });

  it("leaves dates, references, money and small figures alone", () => {
    for (const text of [
      "Received on 2026-03-12 and 12/03/2026.",
      "Reference 01.FOI.26.000014.",
      "It cost £12,500 in 2024 and 2025.",
      "There were 62 gangs, 27 with members under 18.",
      "Figures: 0 5 10 20 40 80 160.",
    ])
      expect(maskText(text, patternsOnly)).toBe(text);
  });

  it("masks email addresses, National Insurance numbers and postcodes", () => {
    expect(maskText("Write to j.doe+foi@example.co.uk now", patternsOnly)).toBe(`Write to ${REDACTED} now`);
    expect(maskText("NI number QQ 12 34 56 C and ab123456d.", patternsOnly)).toBe(
      `NI number ${REDACTED} and ${REDACTED}.`,
    );
    expect(maskText("at WM2 3BD, sw1a1aa and GIR 0AA", patternsOnly)).toBe(
      `at ${REDACTED}, ${REDACTED} and ${REDACTED}`,
    );
  });

  it("keeps the authority's own contact details", () => {
    const redactor = createRedactor({
      keep: ["foi@westmarch.police.example", "01632 960000", "WM1 1AA"],
    });
    expect(
      maskText(
        "Email foi@westmarch.police.example or call 01632960000 (Castle Street, WM1 1AA); not 01632 960001.",
        redactor,
      ),
    ).toBe(
      `Email foi@westmarch.police.example or call 01632960000 (Castle Street, WM1 1AA); not ${REDACTED}.`,
    );
  });
});

describe("masking the requester", () => {
  const redactor = createRedactor({ requester: priya });

  it("masks the name whole and in parts, with titles and possessives, any case", () => {
    expect(maskText("Dear Ms Raman, PRIYA RAMAN asked; Priya's question", redactor)).toBe(
      `Dear Ms ${REDACTED}, ${REDACTED} asked; ${REDACTED}'s question`,
    );
    expect(maskText("Priya\nRaman", redactor)).toBe(REDACTED);
  });

  it("matches whole words only", () => {
    const lee = createRedactor({ requester: { name: "Ann Lee", individual: true } });
    expect(maskText("Ann Lee lives near Leeds; Annex B", lee)).toBe(`${REDACTED} lives near Leeds; Annex B`);
  });

  it("masks the address by its lines, the organisation and the email", () => {
    expect(
      maskText(
        "The Westmarch Gazette, 22 Market Street, asked by priya.raman@westmarch-gazette.example about Westmarch.",
        redactor,
      ),
    ).toBe(`The ${REDACTED}, ${REDACTED}, asked by ${REDACTED} about Westmarch.`);
  });

  it("masks only the whole name of a company or group", () => {
    const group = createRedactor({ requester: { name: "Safer Streets Westmarch", individual: false } });
    expect(maskText("Safer Streets Westmarch asked about Westmarch streets.", group)).toBe(
      `${REDACTED} asked about Westmarch streets.`,
    );
  });

  it("says why each span is masked, the strongest reason first", () => {
    const text = "Priya Raman (priya.raman@westmarch-gazette.example) called 07700 900123.";
    const masks = findMasks(text, redactor);
    expect(masks.map((mask) => [text.slice(mask.start, mask.end), mask.kind])).toEqual([
      ["Priya Raman", "requester-name"],
      ["priya.raman@westmarch-gazette.example", "requester-email"],
      ["07700 900123", "phone"],
    ]);
    expect(segments(text, redactor).map((segment) => segment.mask?.reason ?? segment.text)).toEqual([
      "The requester's name",
      " (",
      "The requester's email address",
      ") called ",
      "A UK phone number",
      ".",
    ]);
  });
});

describe("redactions and rules", () => {
  it("masks an officer's phrases and a manager's phrases and patterns, with their reasons", () => {
    const redactor = createRedactor({
      requestRedactions: [{ phrase: "Detective Sergeant Holt", reason: "Junior officer (s.40(2))" }],
      rules: [
        { kind: "phrase", pattern: "Operation Nightjar", reason: "Live operation" },
        { kind: "pattern", pattern: "\\bCRN-\\d{6}\\b", reason: "Crime reference numbers" },
      ],
    });
    const text = "Detective  Sergeant Holt of Operation Nightjar logged crn-123456.";
    expect(maskText(text, redactor)).toBe(`${REDACTED} of ${REDACTED} logged ${REDACTED}.`);
    expect(findMasks(text, redactor).map((mask) => mask.reason)).toEqual([
      "Junior officer (s.40(2))",
      "Live operation",
      "Crime reference numbers",
    ]);
  });

  it("refuses rules that cannot work", () => {
    expect(ruleProblem({ kind: "pattern", pattern: "(" })).toMatch(/not a valid regular expression/);
    expect(ruleProblem({ kind: "pattern", pattern: "a*" })).toMatch(/empty text/);
    expect(ruleProblem({ kind: "phrase", pattern: "  " })).toMatch(/Enter/);
    expect(ruleProblem({ kind: "pattern", pattern: "\\d{4}" })).toBeNull();
  });

  it("never leaves a private-use marker from the input in the output", () => {
    expect(maskText("a\uE000b\uE002c", patternsOnly)).toBe("abc");
  });
});

describe("the parts masked", () => {
  it("name parts skip titles and initials", () => {
    expect(nameParts("Cllr Tom Baker")).toEqual(["Tom", "Baker"]);
    expect(nameParts("Dr. J. O'Neill-Smith")).toEqual(["O'Neill-Smith"]);
  });
  it("address parts skip a town on its own", () => {
    expect(addressParts("14 Mill Lane, Westmarch WM4 2QT")).toEqual([
      "14 Mill Lane, Westmarch WM4 2QT",
      "14 Mill Lane",
      "Westmarch WM4 2QT",
    ]);
    expect(addressParts("Flat 2\nWestmarch")).toEqual(["Flat 2 Westmarch", "Flat 2"]);
  });
});

// Properties: whatever text surrounds them, however they are cased, nothing identifying survives masking.

const filler = fc.constantFrom(
  "the",
  "police",
  "borough",
  "figures",
  "council",
  "gangs",
  "reply",
  "under",
  "withheld",
  "annex",
  "data",
  "(",
  ")",
  ",",
  ".",
  ":",
  "'s",
  "\n",
);
const letters = (min: number, max: number) =>
  fc
    .array(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"), { minLength: min, maxLength: max })
    .map((chars) => chars.join(""));
const capitalised = letters(3, 9).map((word) => word[0]!.toUpperCase() + word.slice(1));
const fillerWords = new Set(["the", "police", "borough", "figures", "council", "gangs", "reply", "under"]);
const personName = fc
  .tuple(capitalised, capitalised)
  .filter(([first, last]) => ![first, last].some((part) => fillerWords.has(part.toLowerCase())))
  .filter(
    ([first, last]) =>
      ![first, last].some((part) => "redacted withheld annex data".includes(part.toLowerCase())),
  );

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(""));
const ukPhone = fc.oneof(
  fc.tuple(digits(3), digits(6)).map(([area, rest]) => `01${area} ${rest}`),
  fc.tuple(digits(4), digits(4)).map(([a, b]) => `020 ${a} ${b}`),
  fc.tuple(digits(3), digits(6)).map(([a, b]) => `07${a}${b}`),
  fc.tuple(digits(3), digits(3), digits(3)).map(([a, b, c]) => `(01${a}) ${b} ${c}`),
  fc.tuple(digits(4), digits(4)).map(([a, b]) => `+44 (0)20 ${a} ${b}`),
  fc.tuple(digits(3), digits(6)).map(([a, b]) => `+447${a}${b}`),
);
const upper = fc.constantFrom(..."ABCEGHJKLMNPRSTWXYZ");
const niNumber = fc
  .tuple(upper, upper, digits(2), digits(2), digits(2), fc.constantFrom("A", "B", "C", "D"), fc.boolean())
  .map(([a, b, c, d, e, f, spaced]) =>
    spaced ? `${a}${b} ${c} ${d} ${e} ${f}` : `${a}${b}${c}${d}${e}${f}`,
  );
const postcode = fc
  .tuple(upper, fc.option(upper), digits(1), fc.option(digits(1)), digits(1), upper, upper, fc.boolean())
  .map(([a, b, c, d, e, f, g, spaced]) => `${a}${b ?? ""}${c}${d ?? ""}${spaced ? " " : ""}${e}${f}${g}`);
const email = fc
  .tuple(letters(1, 8), letters(2, 8), fc.constantFrom("example", "example.co.uk", "gov.uk"))
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
const casing = fc.constantFrom(
  (text: string) => text,
  (text: string) => text.toUpperCase(),
  (text: string) => text.toLowerCase(),
);

describe("properties", () => {
  it("the masked text never contains the requester's identifiers, nor any email, phone, NI number or postcode", () => {
    fc.assert(
      fc.property(
        personName,
        fc.tuple(digits(2), capitalised),
        email,
        fc.array(
          fc.oneof(
            { weight: 6, arbitrary: filler },
            { weight: 1, arbitrary: ukPhone },
            { weight: 1, arbitrary: niNumber },
            { weight: 1, arbitrary: postcode },
            { weight: 1, arbitrary: email },
            { weight: 1, arbitrary: fc.constant("{name}") },
            { weight: 1, arbitrary: fc.constant("{first}") },
            { weight: 1, arbitrary: fc.constant("{last}") },
            { weight: 1, arbitrary: fc.constant("{email}") },
            { weight: 1, arbitrary: fc.constant("{street}") },
            { weight: 1, arbitrary: fc.constant("{organisation}") },
          ),
          { maxLength: 40 },
        ),
        fc.array(casing, { minLength: 1, maxLength: 5 }),
        ([first, last], [number, street], requesterEmail, tokens, casings) => {
          const organisation = `${last} Trust`;
          const requester: RequesterIdentifiers = {
            name: `${first} ${last}`,
            email: requesterEmail,
            address: `${number} ${street} Road\nWestmarch WM2 3BD`,
            organisation,
            individual: true,
          };
          const values: Record<string, string> = {
            "{name}": requester.name,
            "{first}": first,
            "{last}": last,
            "{email}": requesterEmail,
            "{street}": `${number} ${street} Road`,
            "{organisation}": organisation,
          };
          const text = tokens
            .map((token, i) => casings[i % casings.length]!(values[token] ?? token))
            .join(" ");
          const masked = maskText(text, createRedactor({ requester }));
          for (const identifier of [requester.name, first, last, `${number} ${street} Road`, organisation]) {
            expect(phraseRegExp(identifier)!.test(masked), `${identifier} in ${masked}`).toBe(false);
          }
          expect(masked.toLowerCase()).not.toContain(requesterEmail.toLowerCase());
          expect(masked).not.toMatch(/@/);
          expect(masked).not.toMatch(/\d/);
          expect(masked).not.toMatch(new RegExp(emailPattern.source, "u"));
          expect(masked).not.toMatch(new RegExp(niNumberPattern.source, "iu"));
          expect(masked).not.toMatch(new RegExp(postcodePattern.source, "iu"));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("masking is idempotent and leaves text without personal data unchanged", () => {
    fc.assert(
      fc.property(fc.array(filler, { maxLength: 30 }), (tokens) => {
        const text = tokens.join(" ");
        expect(maskText(text, patternsOnly)).toBe(text);
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(filler, ukPhone, email, postcode), { maxLength: 20 }), (tokens) => {
        const once = maskText(tokens.join(" "), patternsOnly);
        expect(maskText(once, patternsOnly)).toBe(once);
      }),
    );
  });

  it("segments put the text back together exactly", () => {
    const redactor = createRedactor({ requester: priya });
    fc.assert(
      fc.property(
        fc.array(fc.oneof(filler, ukPhone, email, fc.constant("Priya Raman")), { maxLength: 20 }),
        (tokens) => {
          const text = tokens.join(" ");
          expect(
            segments(text, redactor)
              .map((segment) => segment.text)
              .join(""),
          ).toBe(text);
        },
      ),
    );
  });
});
