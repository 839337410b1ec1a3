import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database, Satisfaction } from "../../db/index.ts";
import { feedbackPage as feedbackPath, localPath } from "./chrome.ts";
import * as repo from "./repo.ts";

// The beta banner's feedback: stored for staff to read in the back office (/staff/feedback).

export const satisfactionChoices: { value: Satisfaction; text: string }[] = [
  { value: "very-satisfied", text: "Very satisfied" },
  { value: "satisfied", text: "Satisfied" },
  { value: "neither", text: "Neither satisfied nor dissatisfied" },
  { value: "dissatisfied", text: "Dissatisfied" },
  { value: "very-dissatisfied", text: "Very dissatisfied" },
];

export const satisfactionLabels = Object.fromEntries(
  satisfactionChoices.map((choice) => [choice.value, choice.text]),
) as Record<Satisfaction, string>;

export const feedbackForm = z.object({
  satisfaction: z
    .enum(satisfactionChoices.map((choice) => choice.value) as [Satisfaction, ...Satisfaction[]], {
      error: "Select how satisfied you are",
    })
    .optional(),
  comments: z
    .string({ error: "Enter your feedback" })
    .trim()
    .min(1, "Enter your feedback")
    .max(5000, "Your feedback must be 5,000 characters or fewer"),
  from: z.string().max(500).optional(),
});

export async function saveFeedback(db: Kysely<Database>, input: z.infer<typeof feedbackForm>, now: Date) {
  // Never a tracking token, whatever the link said.
  const page = input.from ? feedbackPath(localPath(input.from, "")) || null : null;
  return repo.insertFeedback(db, {
    satisfaction: input.satisfaction ?? null,
    comments: input.comments,
    page,
    now,
  });
}

export async function listFeedback(db: Kysely<Database>, page: number, pageSize = 50) {
  const result = await repo.feedbackPage(db, pageSize, (page - 1) * pageSize);
  return { ...result, page, pages: Math.max(1, Math.ceil(result.total / pageSize)) };
}
