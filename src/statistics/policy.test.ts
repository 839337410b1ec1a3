import { beforeAll, describe, expect, it } from "vitest";
import { isDomainError } from "../errors.ts";
import { datasetFromRows } from "./dataset.ts";
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

  it("releases categories in the policy's groups, and catches a regrouping that would subtract to a small cell", () => {
    // Ages 16–17 in region A: 2 people. The policy first groups ages as 0-17 / 18+, later as 0-15 / 16+.
    const dataset = datasetFromRows(
      [
        { age: "0-15", region: "A", n: 40 },
        { age: "0-15", region: "B", n: 47 },
        { age: "16-17", region: "A", n: 2 },
        { age: "16-17", region: "B", n: 9 },
        { age: "18-64", region: "A", n: 120 },
        { age: "18-64", region: "B", n: 127 },
      ],
      { dimensions: ["age", "region"], frequency: "n" },
    );
    const policy = (groups: Record<string, string[]>) =>
      parseReleasePolicy({
        dataset: "ages",
        dimensions: ["age", "region"],
        threshold: 3,
        groups: { age: groups },
      });
    const first = answerTableRequest(
      dataset,
      policy({ "0-17": ["0-15", "16-17"], "18+": ["18-64"] }),
      ["age", "region"],
      solver,
    );
    expect(first.outcome).toBe("released");
    if (first.outcome !== "released") return;
    expect(findCell(first.protectedTable.table, ["0-17", "A"])?.freq).toBe(42);
    expect(first.protectedTable.status.every((status) => status === "published")).toBe(true);
    const regrouped = policy({ "0-15": ["0-15"], "16+": ["16-17", "18-64"] });
    const second = answerTableRequest(dataset, regrouped, ["age", "region"], solver, [
      releaseOf(first.protectedTable, "R1"),
    ]);
    expect(second.outcome).toBe("released");
    if (second.outcome !== "released") return;
    expect(second.differencingSuppressions).toBeGreaterThan(0);
    expect(findCell(second.protectedTable.table, ["16+", "A"])).toBeDefined();
    expect(() => policy({}).groups).not.toThrow();
    expect(() =>
      parseReleasePolicy({
        dataset: "ages",
        dimensions: ["age"],
        threshold: 3,
        groups: { sex: { all: ["m"] } },
      }),
    ).toThrow('"sex" is not one of the policy\'s dimensions');
  });
});
