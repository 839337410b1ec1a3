import { describe, expect, it } from "vitest";
import { dayFromCivil, formatIsoDate, workingCalendar } from "../calendar/index.ts";
import { exemption } from "./exemptions.ts";
import {
  aggregationSpan,
  costOfHours,
  costRules,
  formatPence,
  proceduralRefusal,
  proceduralRefusals,
  refusalGrounds,
} from "./procedural-refusals.ts";

describe("procedural refusals", () => {
  it("exist for every regime and ground", () => {
    for (const regime of ["foia", "eir", "foisa", "eisr"] as const) {
      for (const ground of refusalGrounds) expect(proceduralRefusal(regime, ground).regime).toBe(regime);
    }
    expect(new Set(proceduralRefusals.map((refusal) => refusal.id)).size).toBe(proceduralRefusals.length);
  });

  it("cite the provision and the notice the law requires", () => {
    expect(proceduralRefusal("foia", "cost")).toMatchObject({
      provision: "Section 12(1)",
      noticeProvision: "Section 17(5)",
    });
    expect(proceduralRefusal("foia", "vexatious").provision).toBe("Section 14(1)");
    expect(proceduralRefusal("foia", "repeated").provision).toBe("Section 14(2)");
    expect(proceduralRefusal("foisa", "cost").noticeProvision).toBe("Section 16(4)");
    expect(proceduralRefusal("foisa", "vexatious").noticeProvision).toBe("Section 16(5)");
  });

  it("under the EIR are all manifestly unreasonable requests, subject to the public-interest test", () => {
    for (const ground of refusalGrounds) {
      const refusal = proceduralRefusal("eir", ground);
      expect(refusal.provision).toBe("Regulation 12(4)(b)");
      expect(refusal.publicInterestTest).toBe(true);
      expect(exemption(refusal.exemptionId ?? "")?.publicInterestTest).toBe(true);
    }
    expect(proceduralRefusal("foia", "cost").publicInterestTest).toBe(false);
  });

  it("under the EISR are manifestly unreasonable under reg 10(4)(b), refused by a reg 13 notice", () => {
    for (const ground of refusalGrounds) {
      const refusal = proceduralRefusal("eisr", ground);
      expect(refusal).toMatchObject({
        provision: "Regulation 10(4)(b)",
        noticeProvision: "Regulation 13",
        publicInterestTest: true,
        exemptionId: "eisr-10-4-b",
      });
      expect(exemption(refusal.exemptionId ?? "")?.regime).toBe("eisr");
    }
    expect(costRules.eisr.limitsPence).toBeNull();
  });

  it("need advice on narrowing only for cost", () => {
    for (const refusal of proceduralRefusals) {
      expect(refusal.narrowingAdviceRequired, refusal.id).toBe(refusal.ground === "cost");
      expect(refusal.sample.length).toBeGreaterThan(40);
    }
  });
});

describe("cost rules", () => {
  it("FOIA: £25 an hour against £450 or £600, four activities, aggregation within 60 working days", () => {
    expect(costRules.foia).toMatchObject({ hourlyRatePence: 2500, limitsPence: [45_000, 60_000] });
    expect(costRules.foia.activities).toEqual(["determining", "locating", "retrieving", "extracting"]);
    expect(costRules.foia.aggregationWorkingDays).toBe(60);
    // 18 hours is the £450 limit; 24 hours the £600 one.
    expect(costOfHours("foia", 18)).toBe(45_000);
    expect(costOfHours("foia", 24)).toBe(60_000);
  });

  it("FOISA: £15 an hour at most against £600; determining whether held does not count", () => {
    expect(costRules.foisa).toMatchObject({ hourlyRatePence: 1500, limitsPence: [60_000] });
    expect(costRules.foisa.activities).not.toContain("determining");
    expect(costRules.foisa.aggregationWorkingDays).toBeNull();
    expect(costOfHours("foisa", 40)).toBe(60_000);
  });

  it("EIR: no fixed limit", () => {
    expect(costRules.eir.limitsPence).toBeNull();
  });

  it("formats money as a reply prints it", () => {
    expect(formatPence(45_000)).toBe("£450");
    expect(formatPence(46_250)).toBe("£462.50");
    expect(formatPence(123_456_705)).toBe("£1,234,567.05");
    expect(formatPence(5)).toBe("£0.05");
  });
});

describe("aggregation span (reg 5: within 60 consecutive working days)", () => {
  it("counts working days as FOIA does, skipping any UK bank holiday", () => {
    // Tue 3 Jan 2023 is Scotland's substitute 2 January holiday, not a working day anywhere under s.10(6).
    expect(aggregationSpan(["2023-01-03", "2023-01-04"])).toBe(1);
    expect(aggregationSpan(["2023-01-04", "2023-01-04"])).toBe(1);
    expect(aggregationSpan(["2023-01-05", "2023-01-04"])).toBe(2);
  });

  it("puts the 60th working day inside the window and the 61st outside", () => {
    const calendar = workingCalendar("uk");
    const first = dayFromCivil(2025, 3, 3);
    const sixtieth = formatIsoDate(calendar.addWorkingDays(first - 1, 60));
    const sixtyFirst = formatIsoDate(calendar.addWorkingDays(first - 1, 61));
    expect(aggregationSpan(["2025-03-03", sixtieth])).toBe(60);
    expect(aggregationSpan(["2025-03-03", sixtyFirst])).toBe(61);
  });

  it("is NaN for a date that does not exist", () => {
    expect(aggregationSpan(["2025-02-30"])).toBeNaN();
    expect(aggregationSpan([])).toBeNaN();
  });
});
