import { addMonthsClamped, formatHumanDate, formatIsoDate, tryParseIsoDate } from "../calendar/index.ts";
import { regimeRule } from "./regimes.ts";

// A fees notice does not wait for ever. FOIA s.9(2): the authority need not comply unless the fee is paid
// within the period of three months beginning with the day the fees notice is given; FOISA s.9(4) the same.
// The EIR and EISR (reg 8) and the UK GDPR set no such period, so their notices do not lapse by themselves.
// Each regime's rule carries its period (`feeLapse`).

/**
 * The first day on which a fees notice given on `noticeDate` has lapsed (three months beginning with the
 * day of the notice: given 10 March, the last day to pay is 9 June, lapsed on 10 June), or null when the
 * regime's notices do not lapse.
 */
export function feeLapseDate(regime: string, noticeDate: string): string | null {
  const rule = regimeRule(regime)?.feeLapse;
  if (!rule) return null;
  return formatIsoDate(addMonthsClamped(tryParseIsoDate(noticeDate), rule.months));
}

/** Why a fee paid on `paidDate` cannot be accepted, naming the rule; null when it can. */
export function lateFeeRefusal(regime: string, noticeDate: string, paidDate: string): string | null {
  const lapse = feeLapseDate(regime, noticeDate);
  if (!lapse || paidDate < lapse) return null;
  const rule = regimeRule(regime)!.feeLapse!;
  const human = (date: string) => formatHumanDate(tryParseIsoDate(date));
  return `the fees notice of ${human(noticeDate)} lapsed on ${human(lapse)}: a fee not paid within three months of the notice (${rule.provision}) cannot be accepted, and the request need not be answered. Return the payment, and tell the requester they may make a new request`;
}
