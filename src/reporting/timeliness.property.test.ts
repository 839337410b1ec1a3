import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatIsoDate, tryParseIsoDate } from "../calendar/index.ts";
import { type ClockEvent, regimeRule } from "../law/index.ts";
import { reportCase } from "./testing.ts";
import { timeliness } from "./timeliness.ts";

// Whatever the requests: every answer is in time or late, the regimes add up to the total and the
// percentages stay between 0 and 100.

const day = (base: string, offset: number) => formatIsoDate(tryParseIsoDate(base) + offset);

const answeredRequest = fc
  .record({
    regime: fc.constantFrom("foia", "eir", "foisa", "sar"),
    receivedOffset: fc.integer({ min: 0, max: 200 }),
    clarification: fc.option(
      fc.record({ after: fc.integer({ min: 0, max: 10 }), took: fc.integer({ min: 0, max: 30 }) }),
    ),
    extension: fc.option(fc.integer({ min: 0, max: 40 })),
    answeredAfter: fc.integer({ min: 0, max: 120 }),
  })
  .map(({ regime, receivedOffset, clarification, extension, answeredAfter }) => {
    const received = day("2025-01-01", receivedOffset);
    const clock: ClockEvent[] = [];
    const events: [string, string][] = [];
    let latest = received;
    if (clarification) {
      const requested = day(received, clarification.after);
      latest = day(requested, clarification.took);
      clock.push({ kind: "clarification", requested, received: latest });
      events.push(["request-clarification", requested], ["receive-clarification", latest]);
    }
    const extensionType = regimeRule(regime)?.extension?.type;
    if (extension !== null && extensionType) {
      clock.push({ kind: "extension", type: extensionType });
      events.push(["extend", day(received, extension)]);
    }
    events.push(["record-outcome", day(latest, answeredAfter)]);
    return reportCase({ regime, received, clock, events });
  });

describe("timeliness, for any requests", () => {
  it("in time + late = answered, the regimes add up, and percentages stay in 0–100", () => {
    fc.assert(
      fc.property(fc.array(answeredRequest, { maxLength: 30 }), (cases) => {
        const rows = timeliness(cases, { from: "2025-01-01", to: "2025-12-31" }, {}, ["foia", "eir"]);
        const total = rows.at(-1)!;
        for (const row of rows) {
          expect(row.inTime + row.late).toBe(row.answered);
          expect(row.metDeadline + row.permittedExtension).toBe(row.inTime);
          if (row.answered === 0) expect(row.percentInTime).toBeNull();
          else {
            expect(row.percentInTime).toBeGreaterThanOrEqual(0);
            expect(row.percentInTime).toBeLessThanOrEqual(100);
          }
          if (row.p95Days !== null) expect(row.p95Days).toBeGreaterThanOrEqual(row.medianDays!);
        }
        const regimes = rows.slice(0, -1);
        expect(regimes.reduce((sum, row) => sum + row.answered, 0)).toBe(total.answered);
        expect(regimes.reduce((sum, row) => sum + row.late, 0)).toBe(total.late);
      }),
      { numRuns: 200 },
    );
  });
});
