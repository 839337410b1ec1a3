import { beforeAll, describe, expect, it } from "vitest";
import { isDomainError } from "../errors.ts";
import { releaseOf } from "./differencing.ts";
import { gangsDataset, gangsPolicy } from "./examples/gangs.ts";
import { loadHighsSolver } from "./highs-solver.ts";
import { answerTableRequest, decideTableRequest, parseReleasePolicy } from "./policy.ts";
import type { LpSolver } from "./solver.ts";
import { findCell } from "./table.ts";

let solver: LpSolver;
beforeAll(async () => {
  solver = await loadHighsSolver();
});

describe("release policy", () => {
  it("validates a policy and names every bad field", () => {
    try {
      parseReleasePolicy({
        dataset: "x",
        dimensions: ["a"],
        restricted: [{ dimensions: ["b"], exemptions: ["s31"], reason: "" }],
        dominance: { n: 2, k: 85 },
      });
      throw new Error("no error");
    } catch (error) {
      if (!isDomainError(error)) throw error;
      expect(error.problems.map((problem) => problem.field).sort()).toEqual([
        "measure",
        "restricted.0.dimensions",
        "restricted.0.exemptions.0",
        "restricted.0.reason",
      ]);
    }
  });

  it("refuses a restricted dimension with its exemptions and reason, allows the rest", () => {
    expect(decideTableRequest(gangsPolicy, ["borough"])).toMatchObject({
      allowed: false,
      kind: "restricted",
      exemptions: ["foia-31-1-a", "foia-31-1-b"],
      dimensions: ["borough"],
    });
    expect(decideTableRequest(gangsPolicy, ["borough", "under_18"])).toMatchObject({
      allowed: false,
      kind: "restricted",
    });
    expect(decideTableRequest(gangsPolicy, ["age_band", "category"])).toEqual({ allowed: true });
    expect(() => decideTableRequest(gangsPolicy, ["postcode"])).toThrow(
      'the dataset gangs-matrix has no dimension "postcode"',
    );
    const narrow = parseReleasePolicy({ ...gangsPolicy, allowed: [["age_band", "category"]] });
    expect(decideTableRequest(narrow, ["category"])).toEqual({ allowed: true });
    expect(decideTableRequest(narrow, ["under_18", "category"])).toMatchObject({
      allowed: false,
      kind: "not-provided",
      exemptions: [],
    });
  });

  it("the gangs example: the borough breakdown refused under s.31, the force-wide table released with suppression", () => {
    const dataset = gangsDataset();
    const byBorough = answerTableRequest(dataset, gangsPolicy, ["borough", "under_18"], solver);
    expect(byBorough.outcome).toBe("refused");
    if (byBorough.outcome === "refused") {
      expect(byBorough.exemptions).toEqual(["foia-31-1-a", "foia-31-1-b"]);
      expect(byBorough.reason).toMatch(/^Figures for each borough would show/);
    }
    const forceWide = answerTableRequest(dataset, gangsPolicy, ["age_band", "category"], solver);
    expect(forceWide.outcome).toBe("released");
    if (forceWide.outcome !== "released") return;
    const { protectedTable } = forceWide;
    expect(findCell(protectedTable.table, ["Total", "Total"])?.freq).toBe(62);
    expect(protectedTable.primaries.size).toBeGreaterThan(0);
    expect(protectedTable.audit.safe).toBe(true);
    // Every primary cell is a count from 1 to 4, and withheld.
    for (const primary of protectedTable.primaries.values()) {
      const freq = protectedTable.table.cells[primary.cell]?.freq ?? 0;
      expect(freq >= 1 && freq <= 4).toBe(true);
      expect(protectedTable.status[primary.cell]).toBe("primary");
    }
    // A later request by under-18s alone is checked against the force-wide release.
    const later = answerTableRequest(dataset, gangsPolicy, ["under_18"], solver, [
      releaseOf(protectedTable, "R1"),
    ]);
    expect(later.outcome).toBe("released");
    if (later.outcome === "released") expect(findCell(later.protectedTable.table, ["yes"])?.freq).toBe(27);
  });

  it("rounds instead of suppressing when the policy says so", () => {
    const rounding = parseReleasePolicy({ ...gangsPolicy, rounding: { base: 5, method: "controlled" } });
    const answer = answerTableRequest(gangsDataset(), rounding, ["age_band", "under_18"], solver);
    expect(answer.outcome).toBe("rounded");
    if (answer.outcome === "rounded") {
      expect(answer.rounded.additive).toBe(true);
      expect([...answer.rounded.rounded].every((figure) => figure % 5 === 0)).toBe(true);
    }
  });
});
