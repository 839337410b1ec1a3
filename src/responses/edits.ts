import { exemption } from "../law/index.ts";
import type { Harm, PublicInterest, ReplyInput } from "./reply.ts";

// Pure edits of a draft reply (a ReplyInput, as the editor saves it): each returns a new draft and leaves the
// one it is given unchanged. Whoever keeps the draft (requests) loads it, applies an edit and saves it.

type AdviceInput = NonNullable<ReplyInput["advice"]>[number];

/**
 * The review letter's first draft, from the reply under review: its decisions and reasons, to confirm or
 * change; only what is newly disclosed goes under Disclosure.
 */
export function reviewLetterStart(reviewed: ReplyInput) {
  return {
    questions: reviewed.questions,
    exemptions: reviewed.exemptions,
    refusal: reviewed.refusal,
    reasons: reviewed.reasons,
    advice: reviewed.advice,
    subjectAccessReference: reviewed.subjectAccessReference,
  };
}

/** The draft with a piece of advice and assistance added, unless advice already links to the same address. */
export function withAdvice(reply: ReplyInput, added: AdviceInput): ReplyInput {
  const advice = structuredClone(reply.advice ?? []);
  if (!advice.some((item) => added.link && item.link?.url === added.link.url))
    advice.push(structuredClone(added));
  return { ...structuredClone(reply), advice };
}

/** A refusal decided elsewhere (a release policy): the exemptions, why they apply, and the tests weighed. */
export interface DecidedRefusal {
  exemptionIds: readonly string[];
  reason: string;
  harm?: Pick<Harm, "interest" | "likelihood"> | undefined;
  publicInterest?: PublicInterest | undefined;
}

/**
 * The draft with a refusal applied to every question (at least `questionCount`, where the draft lists none):
 * the exemptions, with the reason — a refusal notice states the exemption and why it applies (FOIA
 * s.17(1)(b)-(c)) — as the harm reasoning for a prejudice-based exemption, otherwise as the reasons it
 * applies. A draft that already applies the same exemptions gets the reason added to them, once.
 */
export function withRefusal(reply: ReplyInput, refusal: DecidedRefusal, questionCount: number): ReplyInput {
  const content = structuredClone(reply);
  const ids = [...refusal.exemptionIds].sort();
  const prejudice = ids.some((id) => exemption(id)?.harm);
  const applications = [...(content.exemptions ?? [])];
  const questions = Array.from(
    { length: Math.max(1, content.questions?.length ?? questionCount) },
    (_, i) => i + 1,
  );
  let application = applications.find(
    (candidate) => [...candidate.exemptionIds].sort().join(" ") === ids.join(" "),
  );
  if (!application) {
    application = { exemptionIds: ids, questionNumbers: questions };
    applications.push(application);
  }
  if (prejudice) {
    const harm = { ...(application.harm ?? {}) };
    const reasoning = [...(harm.reasoning ?? [])];
    if (!reasoning.includes(refusal.reason)) reasoning.push(refusal.reason);
    // The harm test the policy states (FOIA s.17(1)(c)), where the officer has not stated it already.
    application.harm = {
      ...harm,
      ...(refusal.harm && !harm.interest?.trim() ? { interest: refusal.harm.interest } : {}),
      ...(refusal.harm && !harm.likelihood ? { likelihood: refusal.harm.likelihood } : {}),
      reasoning,
    };
  } else {
    const reasons = [...(application.reasons ?? [])];
    if (!reasons.includes(refusal.reason)) reasons.push(refusal.reason);
    application.reasons = reasons;
  }
  // The public-interest test the policy has weighed (FOIA s.17(3)), unless one is in the draft already.
  const weighed = application.publicInterest;
  const empty =
    !weighed ||
    (!weighed.balance?.trim() &&
      !weighed.favouringDisclosure?.length &&
      !weighed.favouringWithholding?.length);
  if (refusal.publicInterest && empty) application.publicInterest = { ...refusal.publicInterest };
  // A question the policy refuses and that has no decision yet is withheld (the officer can change it).
  const decided = (content.questions ?? []).map((question) => ({
    ...question,
    decision: question.decision ?? "withheld",
  }));
  return { ...content, questions: decided, exemptions: applications };
}
