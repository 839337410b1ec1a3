import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dayFromCivil, formatIsoDate, tryParseIsoDate, workingCalendar } from "../calendar/index.ts";
import { type ClockEvent, type ClockSettings, computeDeadline, type DeadlineInput } from "./deadline.ts";
import { referenceDeadline } from "./reference-deadline.ts";
import { type Regime, regimeRule, regimes } from "./regimes.ts";

const iso = formatIsoDate;
const firstDay = dayFromCivil(1990, 1, 1);
const lastReceived = dayFromCivil(2099, 12, 31);

interface Case {
  input: DeadlineInput;
  settings: ClockSettings;
}

/**
 * Random valid inputs: any regime and date, sometimes a clarification, a fee, proof of identity (subject access
 * only), an extension, an as-of date.
 */
const cases: fc.Arbitrary<Case> = fc
  .record({
    regime: fc.constantFrom(...regimes),
    received: fc.integer({ min: firstDay, max: lastReceived }),
    clarification: fc.option(
      fc.record({
        after: fc.oneof(fc.nat(10), fc.integer({ min: 25, max: 35 }), fc.nat(100)),
        took: fc.option(fc.nat(40)),
      }),
    ),
    fee: fc.option(fc.record({ after: fc.nat(30), took: fc.option(fc.nat(60)) }), { freq: 2 }),
    identity: fc.option(fc.record({ after: fc.nat(30), took: fc.option(fc.nat(60)) }), { freq: 2 }),
    extension: fc.option(fc.option(fc.integer({ min: 1, max: 20 }))),
    asOfAfter: fc.option(fc.nat(150)),
    reading: fc.constantFrom("ico" as const, "code-2018" as const),
  })
  .map(({ regime, received, clarification, fee, identity, extension, asOfAfter, reading }) => {
    const rule = regimeRule(regime);
    const events: ClockEvent[] = [];
    let latest = received;
    if (clarification) {
      const requested = received + clarification.after;
      const arrived = clarification.took === null ? undefined : requested + clarification.took;
      latest = Math.max(latest, arrived ?? requested);
      events.push({
        kind: "clarification",
        requested: iso(requested),
        received: arrived === undefined ? undefined : iso(arrived),
      });
    }
    if (fee && rule?.fee !== "none") {
      const requested = received + fee.after;
      const paid = fee.took === null ? undefined : requested + fee.took;
      latest = Math.max(latest, paid ?? requested);
      events.push({
        kind: "fee",
        requested: iso(requested),
        paid: paid === undefined ? undefined : iso(paid),
      });
    }
    if (identity && rule?.identity !== "none") {
      const requested = received + identity.after;
      const arrived = identity.took === null ? undefined : requested + identity.took;
      latest = Math.max(latest, arrived ?? requested);
      events.push({
        kind: "identity",
        requested: iso(requested),
        received: arrived === undefined ? undefined : iso(arrived),
      });
    }
    if (extension !== null && rule?.extension) {
      const workingDays = rule.unit === "working" && extension !== null ? extension : undefined;
      events.push({ kind: "extension", type: rule.extension.type, workingDays });
    }
    const asOf = asOfAfter === null ? undefined : iso(latest + asOfAfter);
    return {
      input: { regime, received: iso(received), events, asOf },
      settings: { receiptReading: reading },
    };
  });

const withRegime = (input: DeadlineInput, regime: Regime): DeadlineInput => ({
  ...input,
  regime,
  events: input.events?.filter((e) => e.kind !== "extension" && e.kind !== "identity"),
});

describe("deadline properties", () => {
  it("agrees with the day-by-day reference on every field", () => {
    fc.assert(
      fc.property(cases, ({ input, settings }) => {
        expect(computeDeadline(input, settings)).toEqual(referenceDeadline(input, settings));
      }),
      { numRuns: 2000 },
    );
  });

  it("a due date is never a non-working day", () => {
    fc.assert(
      fc.property(cases, ({ input, settings }) => {
        const deadline = computeDeadline(input, settings);
        const calendar = workingCalendar(regimeRule(input.regime)?.calendar ?? "uk");
        expect(calendar.isWorkingDay(tryParseIsoDate(deadline.dueDate))).toBe(true);
        if (deadline.refusalNoticeDue) {
          expect(calendar.isWorkingDay(tryParseIsoDate(deadline.refusalNoticeDue))).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("days left is days allowed less days used; overdue only after the due date with the clock running", () => {
    fc.assert(
      fc.property(cases, ({ input, settings }) => {
        const d = computeDeadline(input, settings);
        expect(d.daysLeft).toBe(d.daysAllowed - d.daysUsed);
        expect(d.overdue).toBe(!d.stopped && d.asOf > d.dueDate);
        if (d.asOf <= d.dueDate) expect(d.daysLeft).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });

  // The issue asks for "FOISA never earlier than FOIA", but the inequality runs the other way: FOIA s.10(6)
  // excludes bank holidays in every part of the UK, Scotland's among them, while FOISA s.73 excludes only
  // Scotland's. FOISA's working days are a superset, so its twentieth comes no later (Easter Monday, 12 July
  // and 17 March make it strictly earlier; see the worked cases in regimes.ts).
  it("FOISA is never later than FOIA for the same dates and events", () => {
    fc.assert(
      fc.property(cases, ({ input, settings }) => {
        const foia = computeDeadline(withRegime(input, "foia"), settings);
        const foisa = computeDeadline(withRegime(input, "foisa"), settings);
        expect(foisa.dueDate <= foia.dueDate).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  // The same holds between the environmental regulations: the EISR count Scottish working days (reg 2(1),
  // FOISA s.73), the EIR every UK bank holiday (reg 2(1), FOIA s.10(6)); both extend by up to 20 (reg 7(1)).
  it("the EISR are never later than the EIR for the same dates and events, extension included", () => {
    fc.assert(
      fc.property(cases, ({ input, settings }) => {
        const events = input.events
          ?.filter((e) => e.kind !== "identity")
          .map((e) => (e.kind === "extension" ? { ...e, type: "eir-complex" as const } : e));
        const eir = computeDeadline({ ...input, regime: "eir", events }, settings);
        const eisr = computeDeadline({ ...input, regime: "eisr", events }, settings);
        expect(eisr.dueDate <= eir.dueDate).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  // EISR reg 5(2)(a), 8 and 9(4) count as FOISA s.10(1), (2) and s.1(3) do: same calendar, same clock stops.
  it("without an extension an EISR request is due when a FOISA one would be", () => {
    fc.assert(
      fc.property(cases, ({ input, settings }) => {
        const foisa = computeDeadline(withRegime(input, "foisa"), settings);
        const eisr = computeDeadline(withRegime(input, "eisr"), settings);
        expect({ ...eisr, regime: "foisa" }).toEqual(foisa);
      }),
      { numRuns: 1000 },
    );
  });

  it("clock stops never shorten the time", () => {
    fc.assert(
      fc.property(cases, ({ input, settings }) => {
        const withStops = computeDeadline(input, settings);
        const without = computeDeadline(
          { ...input, events: input.events?.filter((e) => e.kind === "extension") },
          settings,
        );
        expect(withStops.dueDate >= without.dueDate).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("a stop asked for near the due date never brings it earlier, and one asked on it moves it later", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Regime>(
          "foia",
          "eir",
          "foisa",
          "eisr",
          "sar",
          "internal-review",
          "foisa-review",
          "eisr-review",
        ),
        fc.integer({ min: firstDay, max: lastReceived }),
        fc.nat(3),
        fc.nat(10),
        (regime, received, daysBefore, took) => {
          const plain = computeDeadline({ regime, received: iso(received) });
          const due = tryParseIsoDate(plain.dueDate);
          const requested = Math.max(received, due - daysBefore);
          const stop: ClockEvent =
            regime === "foia" || regime === "eir" || regime === "foisa" || regime === "eisr"
              ? { kind: "fee", requested: iso(requested), paid: iso(requested + took) }
              : { kind: "clarification", requested: iso(requested), received: iso(requested + took) };
          const input = { regime, received: iso(received), events: [stop] };
          const stopped = computeDeadline(input);
          expect(stopped).toEqual(referenceDeadline(input));
          // Never earlier; and strictly later when the stop covers the old due date itself (days before it may
          // be ones that were not counted anyway, such as a weekend the due date had been rolled past).
          expect(stopped.dueDate >= plain.dueDate).toBe(true);
          if (requested > received && requested === due) expect(stopped.dueDate > plain.dueDate).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("the 2018 code reading adds one working day exactly when a request arrives on a non-working day", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Regime>(
          "foia",
          "eir",
          "foisa",
          "eisr",
          "internal-review",
          "foisa-review",
          "eisr-review",
        ),
        fc.integer({ min: firstDay, max: lastReceived }),
        (regime, received) => {
          const input = { regime, received: iso(received) };
          const ico = tryParseIsoDate(computeDeadline(input, { receiptReading: "ico" }).dueDate);
          const code = tryParseIsoDate(computeDeadline(input, { receiptReading: "code-2018" }).dueDate);
          const calendar = workingCalendar(regimeRule(regime)?.calendar ?? "uk");
          expect(calendar.countWorkingDays(ico, code)).toBe(calendar.isWorkingDay(received) ? 0 : 1);
        },
      ),
    );
  });

  it("a subject access request is due on the corresponding date or within the following week", () => {
    fc.assert(
      fc.property(fc.integer({ min: firstDay, max: lastReceived }), (received) => {
        const due = tryParseIsoDate(computeDeadline({ regime: "sar", received: iso(received) }).dueDate);
        const date = new Date(received * 86_400_000);
        const day = date.getUTCDate();
        date.setUTCDate(1);
        date.setUTCMonth(date.getUTCMonth() + 1);
        const lastOfMonth = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
        date.setUTCDate(Math.min(day, lastOfMonth));
        const corresponding = date.getTime() / 86_400_000;
        expect(due - corresponding).toBeGreaterThanOrEqual(0);
        expect(due - corresponding).toBeLessThan(7);
      }),
    );
  });
});
