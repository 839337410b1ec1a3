import { describe, expect, it } from "vitest";
import {
  exemptionFacet,
  exemptionFacetName,
  isExemptionFacet,
  regimeNames,
  regimeShortNames,
} from "./facets.ts";

describe("disclosure-log facets", () => {
  it("file an EISR exception by its exception, named with the Scottish law (its headings repeat the EIR's)", () => {
    expect(exemptionFacet("eisr-10-5-b")).toBe("eisr-10-5-b");
    expect(exemptionFacet("eisr-11-2-objection")).toBe("eisr-11-2");
    expect(exemptionFacetName("eisr-10-5-b")).toBe("Regulation 10(5)(b) The course of justice (EISR)");
    expect(exemptionFacetName("eir-12-5-b")).toBe("Regulation 12(5)(b) The course of justice");
    expect(isExemptionFacet("eisr-10-4-a")).toBe(true);
  });

  it("name the regime", () => {
    expect(regimeNames.eisr).toBe("Environmental Information (Scotland) Regulations");
    expect(regimeShortNames.eisr).toBe("EISR");
  });
});
