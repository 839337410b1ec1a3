import { z } from "zod";
import { tryParseIsoDate } from "../calendar/index.ts";
import {
  appellants,
  decisionNoticeResults,
  outcomes,
  requestRegimes,
  reviewOutcomes,
  tribunalResults,
} from "./workflow.ts";

// The input each action takes, validated at every boundary (pages and API parse with these same schemas).

export const isoDate = z
  .string({ error: "Enter a date" })
  .trim()
  .refine((text) => Number.isFinite(tryParseIsoDate(text)), { error: "Enter a real date, like 2022-12-01" });

const note = z.string().trim().max(10_000, { error: "Keep the note under 10,000 characters" });
const requiredNote = note.min(1, { error: "Enter a note" });

export const actionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("acknowledge"), note: note.optional() }),
  z.object({
    type: z.literal("assign"),
    assigneeId: z.coerce.number({ error: "Choose who to assign the request to" }).int().positive(),
    teamId: z.coerce.number().int().positive().optional(),
  }),
  z.object({ type: z.literal("start-work"), note: note.optional() }),
  z.object({ type: z.literal("request-clarification"), date: isoDate, note: requiredNote }),
  z.object({ type: z.literal("receive-clarification"), date: isoDate, note: note.optional() }),
  z.object({
    type: z.literal("issue-fees-notice"),
    date: isoDate,
    amountPence: z.coerce
      .number({ error: "Enter the fee in pence" })
      .int()
      .positive({ error: "Enter a fee above zero" }),
    note: note.optional(),
  }),
  z.object({ type: z.literal("receive-fee"), date: isoDate }),
  z.object({ type: z.literal("request-identity"), date: isoDate, note: requiredNote }),
  z.object({ type: z.literal("identity-received"), date: isoDate, note: note.optional() }),
  z.object({
    type: z.literal("extend"),
    extension: z.enum(["pit", "eir-complex", "sar"], { error: "Choose the kind of extension" }),
    reason: requiredNote,
    /** The day the requester was told of the extension (FOIA s.17(2), EIR reg 7(3), UK GDPR Art.12(3)). */
    date: isoDate,
    /** What the requester was told, and how: the notice sent. */
    notice: z
      .string({ error: "Enter the notice sent to the requester" })
      .trim()
      .min(1, { error: "Enter the notice sent to the requester" })
      .max(10_000, { error: "Keep the notice under 10,000 characters" }),
  }),
  z.object({
    type: z.literal("submit-for-approval"),
    outcome: z.enum(outcomes, { error: "Choose an outcome" }),
    note: note.optional(),
  }),
  z.object({ type: z.literal("approve"), note: note.optional() }),
  z.object({ type: z.literal("return-for-changes"), note: requiredNote }),
  z.object({
    type: z.literal("record-outcome"),
    outcome: z.enum(outcomes, { error: "Choose an outcome" }),
    date: isoDate,
  }),
  z.object({ type: z.literal("withdraw"), date: isoDate, note: note.optional() }),
  z.object({ type: z.literal("lapse"), date: isoDate, reason: note.optional() }),
  z.object({ type: z.literal("request-review"), date: isoDate, grounds: requiredNote }),
  z.object({
    type: z.literal("extend-review"),
    workingDays: z.coerce
      .number()
      .int()
      .min(1)
      .max(20, { error: "An internal review may take at most 40 working days" }),
    reason: requiredNote,
  }),
  z.object({
    type: z.literal("decide-review"),
    reviewOutcome: z.enum(reviewOutcomes, { error: "Choose the review decision" }),
    date: isoDate,
    note: note.optional(),
  }),
  z.object({
    type: z.literal("record-complaint"),
    date: isoDate,
    regulatorReference: z
      .string({ error: "Enter the regulator's case reference" })
      .trim()
      .min(1, { error: "Enter the regulator's case reference" })
      .max(100, { error: "Keep the reference under 100 characters" }),
  }),
  z.object({
    type: z.literal("record-decision-notice"),
    result: z.enum(decisionNoticeResults, { error: "Choose the decision notice's result" }),
    date: isoDate,
    regulatorReference: note.optional(),
    /** The steps the notice requires (none when it upholds the authority). */
    steps: note.optional(),
    /** The date by which the steps must be taken. */
    complianceDate: isoDate.optional(),
  }),
  z.object({ type: z.literal("record-compliance"), date: isoDate, note: note.optional() }),
  z.object({
    type: z.literal("record-appeal"),
    date: isoDate,
    appellant: z.enum(appellants, { error: "Choose who appealed" }),
    tribunalReference: note.optional(),
  }),
  z.object({
    type: z.literal("record-tribunal-outcome"),
    date: isoDate,
    tribunalResult: z.enum(tribunalResults, { error: "Choose the appeal's outcome" }),
    note: note.optional(),
  }),
  z.object({ type: z.literal("close-regulator-stage"), note: note.optional() }),
  z.object({ type: z.literal("add-note"), note: requiredNote }),
  z.object({
    type: z.literal("change-regime"),
    regime: z.enum(requestRegimes, { error: "Choose the law the request is handled under" }),
    reason: z
      .string({ error: "Enter why the request is handled under this law" })
      .trim()
      .min(1, { error: "Enter why the request is handled under this law" })
      .max(10_000, { error: "Keep the reason under 10,000 characters" }),
  }),
]);
export type Action = z.infer<typeof actionSchema>;
