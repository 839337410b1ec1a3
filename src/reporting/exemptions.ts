import {
  exemption,
  isInformationRegime,
  proceduralRefusal,
  type RefusalGround,
  refusalGrounds,
} from "../law/index.ts";
import { inPeriod, type ReportPeriod } from "./period.ts";

// The exemptions and exceptions cited in the replies sent in a period: how many requests cited each, per
// regime. Read from the sent reply's structure (its exemption ids and any whole-request refusal), never from
// its text, so nothing withheld reaches a report.

export interface SentReplyCitations {
  regime: string;
  /** The London date the reply was sent. */
  sentDate: string;
  /** Catalogue ids of every exemption applied ("foia-31-1-a"). */
  exemptionIds: string[];
  /** A whole-request refusal (s.12, s.14(1), s.14(2); EIR reg 12(4)(b)), if any. */
  refusalGround: string | null;
}

export interface ExemptionRow {
  regime: string;
  /** The catalogue id, or "refusal-cost" etc. for a procedural refusal. */
  key: string;
  /** As a reply prints it: "Section 31(1)(a) Law enforcement". */
  label: string;
  kind: "exemption" | "exception" | "procedural refusal";
  /** Requests whose reply cited it (once per request however often it is cited). */
  requests: number;
}

export interface ExemptionsUsed {
  /** Replies sent in the period, per regime. */
  replies: { regime: string; sent: number; citingAny: number }[];
  rows: ExemptionRow[];
}

function citation(regime: string, id: string): Omit<ExemptionRow, "requests"> {
  const entry = exemption(id);
  if (!entry) return { regime, key: id, label: id, kind: "exemption" };
  return {
    regime,
    key: id,
    label: entry.printed,
    kind: entry.provision.startsWith("Regulation") ? "exception" : "exemption",
  };
}

function refusalCitation(regime: string, ground: string): Omit<ExemptionRow, "requests"> {
  const known = isInformationRegime(regime) && refusalGrounds.includes(ground as RefusalGround);
  return {
    regime,
    key: `refusal-${ground}`,
    label: known ? proceduralRefusal(regime, ground as RefusalGround).printed : `Refused: ${ground}`,
    kind: "procedural refusal",
  };
}

export function exemptionsUsed(
  replies: readonly SentReplyCitations[],
  period: ReportPeriod,
  regimes: readonly string[],
): ExemptionsUsed {
  const sentInPeriod = replies.filter((reply) => inPeriod(reply.sentDate, period));
  const rows = new Map<string, ExemptionRow>();
  for (const reply of sentInPeriod) {
    const cited = new Map<string, Omit<ExemptionRow, "requests">>();
    if (reply.refusalGround)
      cited.set(`refusal-${reply.refusalGround}`, refusalCitation(reply.regime, reply.refusalGround));
    for (const id of reply.exemptionIds) cited.set(id, citation(reply.regime, id));
    for (const [key, entry] of cited) {
      const rowKey = `${reply.regime}|${key}`;
      const row = rows.get(rowKey) ?? { ...entry, requests: 0 };
      row.requests++;
      rows.set(rowKey, row);
    }
  }
  const order = (regime: string) => {
    const index = regimes.indexOf(regime);
    return index === -1 ? regimes.length : index;
  };
  const seen = [...new Set([...regimes, ...sentInPeriod.map((reply) => reply.regime)])];
  return {
    replies: seen
      .map((regime) => {
        const sent = sentInPeriod.filter((reply) => reply.regime === regime);
        return {
          regime,
          sent: sent.length,
          citingAny: sent.filter((reply) => reply.exemptionIds.length > 0 || reply.refusalGround).length,
        };
      })
      .filter((entry) => entry.sent > 0),
    rows: [...rows.values()].sort(
      (a, b) =>
        order(a.regime) - order(b.regime) || b.requests - a.requests || a.label.localeCompare(b.label),
    ),
  };
}
