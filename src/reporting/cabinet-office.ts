import type { ClockSettings } from "../law/index.ts";
import { lastDate, type ReportCase } from "./cases.ts";
import { cabinetOfficeOutcomes, outcomeCategory } from "./outcomes.ts";
import { inPeriod, periodQuarter, type ReportPeriod } from "./period.ts";
import { answerTiming, percent } from "./timeliness.ts";

// One row per quarter in the shape of the Cabinet Office's quarterly FOI statistics ("Freedom of Information
// statistics", gov.uk): the requests received in the quarter under FOIA and the EIR (the statistics monitor
// those two; FOISA and the EISR answer to the Scottish Information Commissioner, subject access is not FOI),
// their status at the time of monitoring (table 1), the timeliness of those answered (table 3: met the
// deadline, a permitted extension, the deadline exceeded) and their initial outcomes (table 5: resolvable
// requests granted in full, partially withheld, withheld in full; not held). The column names follow those
// tables' headings; NCND and the procedural refusals (s.12, s.14) are withheld in full there, and are given
// again as "of which" columns. Counts only: no reference, requester or withheld text.

const coveredRegimes = ["foia", "eir"];

export const cabinetOfficeColumns = [
  "Public authority",
  "Quarter",
  "Period start",
  "Period end",
  "Monitoring date",
  "Total requests received",
  "FOI requests received",
  "EIR requests received",
  "Processed",
  "Lapsed or withdrawn",
  "On hold",
  "Not yet processed",
  "Met deadline",
  "Permitted extension to deadline",
  "Deadline exceeded",
  "Responded to in time (%)",
  "Resolvable requests",
  "Granted in full",
  "Partially withheld",
  "Withheld in full",
  "Withheld in full: of which neither confirm nor deny",
  "Withheld in full: of which refused on cost (s.12)",
  "Withheld in full: of which vexatious (s.14(1))",
  "Withheld in full: of which repeated (s.14(2))",
  "Information not held",
  "Resolvable requests granted in full (%)",
  "Internal reviews received",
] as const;

export type CabinetOfficeRow = Record<(typeof cabinetOfficeColumns)[number], string | number | null>;

export function cabinetOfficeRow(
  cases: readonly ReportCase[],
  period: ReportPeriod,
  monitoredOn: string,
  settings: ClockSettings,
  authority: string,
): CabinetOfficeRow {
  const received = cases.filter((r) => coveredRegimes.includes(r.regime) && inPeriod(r.receivedDate, period));
  const categorised = received.flatMap((request) => {
    const category = outcomeCategory(request, monitoredOn);
    return category ? [{ request, category }] : [];
  });
  const count = (test: (category: string) => boolean) => categorised.filter((c) => test(c.category)).length;
  const answered = categorised.filter((c) => c.category in cabinetOfficeOutcomes);
  const timings = answered.map(({ request }) =>
    answerTiming(request, lastDate(request, "record-outcome") as string, settings),
  );
  const timed = (t: string) => timings.filter((timing) => timing.timeliness === t).length;
  const column = (name: string) =>
    answered.filter(
      (c) => cabinetOfficeOutcomes[c.category as keyof typeof cabinetOfficeOutcomes].column === name,
    ).length;
  const resolvable = answered.filter(
    (c) => cabinetOfficeOutcomes[c.category as keyof typeof cabinetOfficeOutcomes].resolvable,
  ).length;
  const quarter = periodQuarter(period);
  return {
    "Public authority": authority,
    Quarter: quarter ? quarter.name : `${period.from} to ${period.to}`,
    "Period start": period.from,
    "Period end": period.to,
    "Monitoring date": monitoredOn,
    "Total requests received": categorised.length,
    "FOI requests received": categorised.filter((c) => c.request.regime === "foia").length,
    "EIR requests received": categorised.filter((c) => c.request.regime === "eir").length,
    Processed: answered.length,
    "Lapsed or withdrawn": count((c) => c === "withdrawn-or-lapsed"),
    "On hold": count((c) => c === "on-hold"),
    "Not yet processed": count((c) => c === "not-yet-processed"),
    "Met deadline": timed("met-deadline"),
    "Permitted extension to deadline": timed("permitted-extension"),
    "Deadline exceeded": timed("late"),
    "Responded to in time (%)": percent(
      timed("met-deadline") + timed("permitted-extension"),
      answered.length,
    ),
    "Resolvable requests": resolvable,
    "Granted in full": column("granted-in-full"),
    "Partially withheld": column("partially-withheld"),
    "Withheld in full": column("withheld-in-full"),
    "Withheld in full: of which neither confirm nor deny": count((c) => c === "ncnd"),
    "Withheld in full: of which refused on cost (s.12)": count((c) => c === "refused-cost"),
    "Withheld in full: of which vexatious (s.14(1))": count((c) => c === "refused-vexatious"),
    "Withheld in full: of which repeated (s.14(2))": count((c) => c === "refused-repeated"),
    "Information not held": column("not-held"),
    "Resolvable requests granted in full (%)": percent(column("granted-in-full"), resolvable),
    "Internal reviews received": cases.filter((request) => {
      return coveredRegimes.includes(request.regime) && inPeriod(lastDate(request, "request-review"), period);
    }).length,
  };
}
