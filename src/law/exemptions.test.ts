import { describe, expect, it } from "vitest";
import { citeExemptions, counterpartIn, exemption, exemptions, exemptionsFor } from "./exemptions.ts";

const ids = (list: readonly { id: string }[]) => list.map((entry) => entry.id).sort();
const sectionsOf = (regime: "foia" | "eir" | "foisa" | "eisr") => [
  ...new Set(exemptionsFor(regime).map((entry) => entry.path[0])),
];

describe("the catalogue's shape", () => {
  it("has unique ids built from the provision numbers", () => {
    expect(new Set(exemptions.map((entry) => entry.id)).size).toBe(exemptions.length);
    expect(exemption("foia-31-1-a")?.printed).toBe("Section 31(1)(a) Law enforcement");
    expect(exemption("foia-36-2-b-i")?.provision).toBe("Section 36(2)(b)(i)");
    expect(exemption("eir-12-5-b")?.printed).toBe("Regulation 12(5)(b) The course of justice");
    expect(exemption("foisa-38-1-b")?.provision).toBe("Section 38(1)(b)");
    expect(exemption("eisr-10-5-b")?.printed).toBe("Regulation 10(5)(b) The course of justice");
    expect(exemption("foia-22a-1")?.provision).toBe("Section 22A(1)");
    expect(exemption("no-such-thing")).toBeUndefined();
  });

  it("prints each entry as its provision and heading", () => {
    for (const entry of exemptions) expect(entry.printed).toBe(`${entry.provision} ${entry.heading}`);
  });

  it("names each entry distinctly in a list of choices, by what sets apart entries of one provision", () => {
    for (const regime of ["foia", "foisa", "eir", "eisr"] as const) {
      const choices = exemptions.filter((entry) => entry.regime === regime).map((entry) => entry.choice);
      expect(new Set(choices).size, regime).toBe(choices.length);
    }
    expect(exemption("foia-40-2-objection")?.choice).toBe(
      "Section 40(2) Personal information (the second condition: the person has objected under Article 21)",
    );
    expect(exemption("foia-31-1-a")?.choice).toBe("Section 31(1)(a) Law enforcement");
  });

  it("covers FOIA Part II: ss.21–24 and 26–44 (s.25 is about certificates, not an exemption)", () => {
    expect(sectionsOf("foia")).toEqual([
      "21",
      "22",
      "22A",
      "23",
      "24",
      ...Array.from({ length: 19 }, (_, index) => String(26 + index)),
    ]);
  });

  it("covers FOISA Part 2: ss.25–41", () => {
    expect(sectionsOf("foisa")).toEqual(Array.from({ length: 17 }, (_, index) => String(25 + index)));
  });

  it("covers EIR reg 12(4)(a)–(e), 12(5)(a)–(g), reg 13, and reg 5(3) for the requester's own data", () => {
    const numbers = exemptionsFor("eir").map((entry) => entry.provision.replace("Regulation ", ""));
    for (const letter of "abcde") expect(numbers).toContain(`12(4)(${letter})`);
    for (const letter of "abcdefg") expect(numbers).toContain(`12(5)(${letter})`);
    expect(numbers).toContain("13(1)");
    expect(numbers).toContain("5(3)");
  });

  it("covers EISR reg 10(4)(a)–(e), 10(5)(a)–(g), reg 11(2), and reg 11(1) for the requester's own data", () => {
    const numbers = exemptionsFor("eisr").map((entry) => entry.provision.replace("Regulation ", ""));
    for (const letter of "abcde") expect(numbers).toContain(`10(4)(${letter})`);
    for (const letter of "abcdefg") expect(numbers).toContain(`10(5)(${letter})`);
    expect(numbers).toContain("11(2)");
    expect(numbers).toContain("11(1)");
    expect(sectionsOf("eisr")).toEqual(["10", "11"]);
  });
});

describe("absolute and qualified", () => {
  it("FOIA's absolute exemptions are exactly those in s.2(3)", () => {
    const absolute = ids(exemptionsFor("foia").filter((entry) => entry.status === "absolute"));
    expect(absolute).toEqual(
      [
        "foia-21-1",
        "foia-23-1",
        "foia-32-1",
        "foia-32-2",
        "foia-34-1",
        "foia-37-1-a",
        "foia-37-1-aa",
        "foia-37-1-ab",
        "foia-40-1",
        "foia-40-2",
        "foia-41-1",
        "foia-44-1-a",
        "foia-44-1-b",
        "foia-44-1-c",
      ].sort(),
    );
  });

  it("FOISA's absolute exemptions are exactly those in s.2(2)", () => {
    const absolute = ids(exemptionsFor("foisa").filter((entry) => entry.status === "absolute"));
    expect(absolute).toEqual(
      [
        "foisa-25-1",
        "foisa-26-a",
        "foisa-26-b",
        "foisa-26-c",
        "foisa-36-2",
        "foisa-37-1-a",
        "foisa-37-1-b",
        "foisa-38-1-a",
        "foisa-38-1-b",
        "foisa-38-1-c",
        "foisa-38-1-d",
      ].sort(),
    );
  });

  it("every EIR exception in reg 12(4) and 12(5) is qualified; only reg 13's first condition and reg 5(3) are not", () => {
    const absolute = ids(exemptionsFor("eir").filter((entry) => entry.status === "absolute"));
    expect(absolute).toEqual(["eir-13-1", "eir-5-3"]);
  });

  it("every EISR exception in reg 10(4) and 10(5) is qualified (reg 10(1)(b)); only reg 11(2)'s first condition and reg 11(1) are not", () => {
    const absolute = ids(exemptionsFor("eisr").filter((entry) => entry.status === "absolute"));
    expect(absolute).toEqual(["eisr-11-1", "eisr-11-2"]);
  });

  it("absolute entries carry no public-interest test; qualified ones do, bar information not held (EIR reg 12(4)(a), EISR reg 10(4)(a))", () => {
    for (const entry of exemptions) {
      const expected =
        entry.status === "qualified" && entry.id !== "eir-12-4-a" && entry.id !== "eisr-10-4-a";
      expect(entry.publicInterestTest, entry.id).toBe(expected);
    }
  });
});

describe("harm tests", () => {
  it("prejudice- and necessity-based entries name the interest; class-based ones have no harm test", () => {
    for (const entry of exemptions) {
      if (entry.basis === "class") expect(entry.harm, entry.id).toBeUndefined();
      else expect(entry.harm?.interest, entry.id).toBeTruthy();
      if (entry.basis === "necessity") expect(entry.harm?.likelihoods, entry.id).toEqual([]);
      if (entry.basis === "prejudice") expect(entry.harm?.likelihoods.length, entry.id).toBeGreaterThan(0);
    }
  });

  it("EIR reg 12(5) allows only 'would' (an adverse effect more probable than not)", () => {
    for (const entry of exemptionsFor("eir").filter((e) => e.path[1] === "5" && e.path[0] === "12")) {
      expect(entry.harm?.likelihoods, entry.id).toEqual(["would"]);
      expect(entry.harm?.verb).toBe("adversely affect");
    }
  });

  it("EISR reg 10(5) is substantial prejudice, and allows 'would' and 'would be likely to'", () => {
    const regulation5 = exemptionsFor("eisr").filter((e) => e.path[0] === "10" && e.path[1] === "5");
    expect(regulation5).toHaveLength(7);
    for (const entry of regulation5) {
      expect(entry.harm?.verb, entry.id).toBe("prejudice substantially");
      expect(entry.harm?.likelihoods, entry.id).toEqual(["would", "would-be-likely-to"]);
    }
  });

  it("FOISA's prejudice tests are substantial, except s.39(1) (endangerment)", () => {
    for (const entry of exemptionsFor("foisa").filter((e) => e.basis === "prejudice")) {
      if (entry.id === "foisa-39-1") expect(entry.harm?.verb).toBe("endanger");
      else expect(entry.harm?.verb, entry.id).toMatch(/substantially/);
    }
  });

  it("only FOIA s.36 needs the qualified person's opinion", () => {
    const needing = exemptions
      .filter((entry) => entry.needsQualifiedPersonOpinion)
      .map((entry) => entry.path[0]);
    expect(new Set(needing)).toEqual(new Set(["36"]));
    expect(exemption("foia-36-2-c")?.regime).toBe("foia");
  });

  it("EIR reg 12(5)(d)–(g) (reg 12(9)) and EISR reg 10(5)(d)–(g) (reg 10(6)) cannot refuse information on emissions", () => {
    expect(ids(exemptions.filter((entry) => entry.notForEmissions))).toEqual([
      "eir-12-5-d",
      "eir-12-5-e",
      "eir-12-5-f",
      "eir-12-5-g",
      "eisr-10-5-d",
      "eisr-10-5-e",
      "eisr-10-5-f",
      "eisr-10-5-g",
    ]);
  });
});

describe("neither confirm nor deny", () => {
  it("FOIA: every exemption has its own NCND provision except s.21 and s.43(1)", () => {
    const without = ids(exemptionsFor("foia").filter((entry) => entry.ncnd === null));
    expect(without).toEqual(["foia-21-1", "foia-43-1"]);
    expect(exemption("foia-31-1-a")?.ncnd).toEqual({ provision: "Section 31(3)", own: true });
    expect(exemption("foia-40-2")?.ncnd?.provision).toBe("Section 40(5B)");
    expect(exemption("foia-40-1")?.ncnd?.provision).toBe("Section 40(5A)");
  });

  it("FOISA: only s.18(1), and only with ss.28–35, 38, 39(1) and 41", () => {
    for (const entry of exemptionsFor("foisa")) {
      const section = Number(entry.path[0]);
      const allowed =
        (section >= 28 && section <= 35) || section === 38 || section === 41 || entry.id === "foisa-39-1";
      expect(entry.ncnd?.provision ?? null, entry.id).toBe(allowed ? "Section 18(1)" : null);
    }
  });

  it("EIR: only reg 12(5)(a) (reg 12(6)) and personal data under reg 13 (reg 13(5A))", () => {
    const withNcnd = exemptionsFor("eir").filter((entry) => entry.ncnd !== null);
    expect(ids(withNcnd)).toEqual(["eir-12-5-a", "eir-13-1", "eir-13-1-no-access", "eir-13-1-objection"]);
  });

  it("EISR: only reg 10(5)(a) (reg 10(8)) and personal data under reg 11(2) (reg 11(6))", () => {
    const withNcnd = exemptionsFor("eisr").filter((entry) => entry.ncnd !== null);
    expect(ids(withNcnd)).toEqual(["eisr-10-5-a", "eisr-11-2", "eisr-11-2-no-access", "eisr-11-2-objection"]);
    expect(exemption("eisr-10-5-a")?.ncnd).toEqual({ provision: "Regulation 10(8)", own: false });
    expect(exemption("eisr-11-2")?.ncnd).toEqual({ provision: "Regulation 11(6)", own: false });
  });
});

describe("the requester's own personal data", () => {
  it("is FOIA s.40(1), FOISA s.38(1)(a), EIR reg 5(3) and EISR reg 11(1), each pointing to subject access", () => {
    const own = exemptions.filter((entry) => entry.ownPersonalData);
    expect(ids(own)).toEqual(["eir-5-3", "eisr-11-1", "foia-40-1", "foisa-38-1-a"]);
    for (const entry of own) expect(entry.notes.join(" ") + entry.samples.reasons).toMatch(/subject access/i);
  });
});

describe("samples beside each entry", () => {
  it("every entry subject to the public-interest test has sample factors both ways", () => {
    for (const entry of exemptions.filter((e) => e.publicInterestTest)) {
      expect(entry.samples.publicInterest?.favouringDisclosure.length, entry.id).toBeGreaterThan(0);
      expect(entry.samples.publicInterest?.favouringWithholding.length, entry.id).toBeGreaterThan(0);
    }
  });

  it("absolute entries have no public-interest sample (it would invite a test the law does not set)", () => {
    for (const entry of exemptions.filter((e) => !e.publicInterestTest)) {
      expect(entry.samples.publicInterest, entry.id).toBeUndefined();
    }
  });

  it("every prejudice- or necessity-based entry has a sample harm argument in its own terms", () => {
    for (const entry of exemptions.filter((e) => e.basis !== "class")) {
      const harm = entry.samples.harm ?? "";
      expect(harm.length, entry.id).toBeGreaterThan(40);
      const verb = entry.harm?.verb.split(" ").at(-1) ?? "";
      // "prejudice substantially" → the sample says "substantially"; "adversely affect" → "affect".
      expect(harm.toLowerCase(), entry.id).toContain(verb.replace(/^is$/, "").toLowerCase());
    }
  });

  it("every class-based entry explains why it applies (FOIA s.17(1)(c), FOISA s.16(1)(d))", () => {
    for (const entry of exemptions.filter((e) => e.basis === "class")) {
      expect(entry.samples.reasons?.length, entry.id).toBeGreaterThan(20);
    }
  });

  it("cites a source for every entry", () => {
    const prefix = { foia: "FOIA s.", eir: "EIR reg ", foisa: "FOISA s.", eisr: "EISR reg " };
    for (const entry of exemptions)
      expect(entry.source.startsWith(prefix[entry.regime]), entry.id).toBe(true);
  });
});

describe("the EIR and the EISR side by side", () => {
  it("every EIR exception has its EISR counterpart and back, under the same heading", () => {
    for (const entry of exemptionsFor("eir")) {
      const scottish = counterpartIn("eisr", entry.id);
      expect(scottish?.heading, entry.id).toBe(entry.heading);
      expect(counterpartIn("eir", scottish?.id ?? "")?.id).toBe(entry.id);
    }
    expect(counterpartIn("eisr", "eir-12-5-b")?.id).toBe("eisr-10-5-b");
    expect(counterpartIn("eisr", "eir-13-1-objection")?.id).toBe("eisr-11-2-objection");
    expect(counterpartIn("eisr", "eir-5-3")?.id).toBe("eisr-11-1");
    expect(counterpartIn("eisr", "foia-31-1-a")).toBeUndefined();
  });
});

describe("citeExemptions", () => {
  it("combines entries of one section into one citation, in catalogue order", () => {
    expect(citeExemptions(["foia-31-1-b", "foia-31-1-a"])).toEqual(["Section 31(1)(a)(b) Law enforcement"]);
    expect(citeExemptions(["foia-36-2-b-i", "foia-36-2-b-ii"])).toEqual([
      "Section 36(2)(b)(i)(ii) Prejudice to effective conduct of public affairs",
    ]);
    expect(citeExemptions(["foia-36-2-c", "foia-36-2-b-i"])).toEqual([
      "Section 36(2)(b)(i) and 36(2)(c) Prejudice to effective conduct of public affairs",
    ]);
    expect(citeExemptions(["eir-12-5-b", "eir-12-4-e"])).toEqual([
      "Regulation 12(4)(e) Internal communications",
      "Regulation 12(5)(b) The course of justice",
    ]);
    expect(citeExemptions(["eisr-10-5-e", "eisr-10-4-e"])).toEqual([
      "Regulation 10(4)(e) Internal communications",
      "Regulation 10(5)(e) Confidentiality of commercial or industrial information",
    ]);
  });

  it("lists different sections separately and a provision once", () => {
    expect(citeExemptions(["foia-40-2", "foia-31-1-a", "foia-40-2-no-access", "foia-31-1-a"])).toEqual([
      "Section 31(1)(a) Law enforcement",
      "Section 40(2) Personal information",
    ]);
  });

  it("cites the neither-confirm-nor-deny provisions", () => {
    expect(citeExemptions(["foia-31-1-a", "foia-31-1-b"], { ncnd: true })).toEqual([
      "Section 31(3) Law enforcement",
    ]);
    expect(citeExemptions(["foisa-35-1-a", "foisa-35-1-b"], { ncnd: true })).toEqual([
      "Section 18(1), with Section 35(1)(a)(b) Law enforcement",
    ]);
    expect(citeExemptions(["eir-12-5-a"], { ncnd: true })).toEqual([
      "Regulation 12(6), with Regulation 12(5)(a) International relations, defence, national security or public safety",
    ]);
    expect(citeExemptions(["eisr-10-5-a"], { ncnd: true })).toEqual([
      "Regulation 10(8), with Regulation 10(5)(a) International relations, defence, national security or public safety",
    ]);
    expect(citeExemptions(["eisr-11-2", "eisr-11-2-objection"], { ncnd: true })).toEqual([
      "Regulation 11(6), with Regulation 11(2) Personal data",
    ]);
  });

  it("cites s.23 and s.24 in the alternative", () => {
    expect(exemption("foia-23-1")?.alternativeWith).toEqual(["foia-24-1"]);
    expect(citeExemptions(["foia-24-1", "foia-23-1"], { ncnd: true, alternative: true })).toEqual([
      "Section 23(5) Information supplied by, or relating to, bodies dealing with security matters or, in the alternative, Section 24(2) National security",
    ]);
  });

  it("refuses an unknown id", () => {
    expect(() => citeExemptions(["foia-99-1"])).toThrow(/unknown exemption/);
  });
});
