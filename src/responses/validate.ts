import { DomainError, type FieldProblem } from "../errors.ts";
import {
  aggregationSpan,
  exemptions as catalogue,
  citeExemptions,
  costActivityLabels,
  costOfHours,
  costRules,
  counterpartIn,
  type Exemption,
  environmentalProvisions,
  exemption,
  formatPence,
  type InformationRegime,
  isEnvironmental,
  likelihoodLabels,
  proceduralRefusal,
  regimeLaw,
} from "../law/index.ts";
import { isNcndApplication } from "./outcome.ts";
import { decisionLabels, type ExemptionApplication, type PublicInterest, type Reply } from "./reply.ts";

// What a reply lacks before it can be approved and sent, each problem on the field a case officer fixes, in
// words they would use. An empty list means the reply is a complete answer and, where it refuses anything, a
// complete refusal notice (FOIA s.17, EIR reg 14, FOISA s.16, EISR reg 13).

export type ReplyProblem = FieldProblem;

export interface ValidationContext {
  /** The authority's appropriate limit for FOIA s.12, in pence: 45,000 or 60,000 (SI 2004/3244 reg 3). */
  costLimitPence: number;
}

/** FOIA s.17(1)(c), EIR reg 14(3)(a), FOISA s.16(1)(d), EISR reg 13(b): the notice says why it applies. */
const reasonsProvision: Record<InformationRegime, string> = {
  foia: "s.17(1)(c)",
  eir: environmentalProvisions.eir.reasons,
  foisa: "s.16(1)(d)",
  eisr: environmentalProvisions.eisr.reasons,
};

const adviceProvision: Record<InformationRegime, string> = {
  foia: "section 16",
  eir: "regulation 9",
  foisa: "section 15",
  eisr: "regulation 9",
};

/** How a request is named in a message: "a FOIA request", "an EISR request". */
const requestNames: Record<InformationRegime, string> = {
  foia: "a FOIA request",
  eir: "an environmental information request",
  foisa: "a FOISA request",
  eisr: `an environmental information request under ${regimeLaw.eisr.title}`,
};

function regimeMismatch(replyRegime: InformationRegime, entry: Exemption): string {
  const request = `This is ${requestNames[replyRegime]}`;
  if (isEnvironmental(replyRegime)) {
    // The same exception in the other regulations (EIR reg 12(5)(b) for EISR reg 10(5)(b)) is named.
    const counterpart = counterpartIn(replyRegime, entry.id);
    const instead = counterpart
      ? `Use ${counterpart.printed} instead`
      : `Refuse under the ${replyRegime.toUpperCase()} exceptions (${environmentalProvisions[replyRegime].exceptions}) instead`;
    const where =
      entry.regime === "eir"
        ? "an exception in the EIR for England, Wales and Northern Ireland"
        : entry.regime === "eisr"
          ? `an exception in ${regimeLaw.eisr.title}, which only Scottish public authorities apply`
          : `in ${regimeLaw[entry.regime].title}`;
    return `${request}: ${entry.printed} is ${where}. ${instead}.`;
  }
  if (isEnvironmental(entry.regime)) {
    // Environmental information is exempt from FOIA (s.39) and FOISA (s.39(2)); the request goes under the
    // regulations of the same country, with the counterpart exception.
    const regulations: InformationRegime = replyRegime === "foisa" ? "eisr" : "eir";
    const counterpart = counterpartIn(regulations, entry.id);
    const section = replyRegime === "foisa" ? "section 39(2)" : "section 39";
    const where =
      entry.regime === "eisr"
        ? `an exception in ${regimeLaw.eisr.title}`
        : replyRegime === "foia"
          ? "an EIR exception"
          : "an exception in the EIR for England, Wales and Northern Ireland";
    const under = regulations === "eisr" ? `${regimeLaw.eisr.title} (log it as an EISR request)` : "the EIR";
    const cite =
      counterpart && counterpart.id !== entry.id ? `, where the exception is ${counterpart.printed}` : "";
    return `${request}: ${entry.printed} is ${where}. If the information is environmental, cite ${section} and deal with the request under ${under}${cite}; otherwise use a ${replyRegime.toUpperCase()} exemption.`;
  }
  return `${request}: ${entry.printed} is in ${regimeLaw[entry.regime].title}. Use the ${replyRegime.toUpperCase()} exemption instead.`;
}

const ownDataProvision: Record<InformationRegime, string> = {
  foia: "section 40(1)",
  eir: environmentalProvisions.eir.ownPersonalData,
  foisa: "section 38(1)(a)",
  eisr: environmentalProvisions.eisr.ownPersonalData,
};

/** Personal data of people other than the requester: FOIA s.40(2), EIR reg 13, FOISA s.38(1)(b), EISR 11(2). */
const thirdPartyPersonalData = new Set(
  catalogue
    .filter(
      (entry) =>
        (entry.regime === "foia" && entry.path[0] === "40" && entry.path[1] === "2") ||
        (entry.regime === "eir" && entry.path[0] === "13") ||
        (entry.regime === "foisa" && entry.path[0] === "38" && entry.path[2] === "b") ||
        (entry.regime === "eisr" && entry.path[0] === "11" && entry.path[1] === "2"),
    )
    .map((entry) => entry.id),
);

/** The exception for information not held (EIR reg 12(4)(a), EISR reg 10(4)(a)); none under FOIA or FOISA. */
function notHeldExceptionOf(regime: InformationRegime): string | undefined {
  return isEnvironmental(regime) ? environmentalProvisions[regime].notHeld : undefined;
}

// Words that confirm or deny that information is held. Clauses introduced by "whether" or "if" are removed
// first, so "confirming whether any information is held would…" is not caught.
const confirmingPatterns: readonly RegExp[] = [
  /\b(?:we|i|the (?:force|council|authority|department|service|police))\s+(?:do|does|did)(?:\s+not|n['’]t)\s+hold\b/i,
  /\b(?:we|i|the (?:force|council|authority|department|service|police))\s+(?:hold|holds|held)\b/i,
  /\b(?:is|are|was|were)\s+(?:not\s+)?held\b/i,
  /\bno\s+(?:such\s+|relevant\s+)?(?:information|records?|data|documents?|files?)\s+(?:(?:is|are|was|were|has been|have been)\s+)?(?:held|found|located|exists?)\b/i,
  /\b(?:the|this|that|such)\s+(?:requested\s+)?information\s+(?:exists|does\s+not\s+exist)\b/i,
];

/** The phrase in `text` that confirms or denies the information is held, or null. */
export function confirmingPhrase(text: string): string | null {
  const unhedged = text.replace(/\b(?:whether|if)\b[^.;:!?]*/gi, " ");
  for (const pattern of confirmingPatterns) {
    const match = pattern.exec(unhedged);
    if (match) return match[0];
  }
  return null;
}

function isBlank(text: string | undefined): boolean {
  return !text || text.trim() === "";
}

function blankList(list: readonly string[] | undefined): boolean {
  return !list || list.every(isBlank);
}

function publicInterestProblems(
  field: string,
  publicInterest: PublicInterest | undefined,
  subject: string,
): ReplyProblem[] {
  const problems: ReplyProblem[] = [];
  if (blankList(publicInterest?.favouringDisclosure)) {
    problems.push({
      field: `${field}.favouringDisclosure`,
      message: `${subject} is subject to the public-interest test: list the public-interest factors in favour of disclosure`,
    });
  }
  if (blankList(publicInterest?.favouringWithholding)) {
    problems.push({
      field: `${field}.favouringWithholding`,
      message: `${subject} is subject to the public-interest test: list the public-interest factors in favour of withholding`,
    });
  }
  if (isBlank(publicInterest?.balance)) {
    problems.push({
      field: `${field}.balance`,
      message: `${subject}: conclude the public-interest test by saying which way the balance falls and why`,
    });
  }
  return problems;
}

function hasPublicInterestContent(publicInterest: PublicInterest | undefined): boolean {
  if (!publicInterest) return false;
  return (
    !blankList(publicInterest.favouringDisclosure) ||
    !blankList(publicInterest.favouringWithholding) ||
    !isBlank(publicInterest.balance)
  );
}

function applicationTexts(
  application: ExemptionApplication,
  field: string,
): { field: string; text: string }[] {
  const pi = application.publicInterest;
  const listed = (list: readonly string[] | undefined, path: string) =>
    (list ?? []).map((text, i) => ({ field: `${field}.${path}.${i}`, text }));
  return [
    ...listed(application.reasons, "reasons"),
    ...listed(application.harm?.reasoning, "harm.reasoning"),
    ...listed(pi?.favouringDisclosure, "publicInterest.favouringDisclosure"),
    ...listed(pi?.favouringWithholding, "publicInterest.favouringWithholding"),
    ...(pi?.balance ? [{ field: `${field}.publicInterest.balance`, text: pi.balance }] : []),
  ];
}

/** EIR reg 12(4)(a), EISR reg 10(4)(a) need no further reasons where each question says what was searched. */
function notHeldExplained(
  reply: Reply,
  entries: readonly Exemption[],
  application: ExemptionApplication,
): boolean {
  const notHeld = notHeldExceptionOf(reply.regime);
  return (
    entries.every((entry) => entry.id === notHeld) &&
    application.questionNumbers.every((n) => !isBlank(reply.questions[n - 1]?.notHeldExplanation))
  );
}

function validateApplication(
  reply: Reply,
  application: ExemptionApplication,
  index: number,
  problems: ReplyProblem[],
): void {
  const field = `exemptions.${index}`;
  const regime = reply.regime;
  const entries: Exemption[] = [];
  application.exemptionIds.forEach((id, j) => {
    const entry = exemption(id);
    if (!entry) {
      problems.push({
        field: `${field}.exemptionIds.${j}`,
        message: `"${id}" is not an exemption foidesk knows`,
      });
      return;
    }
    if (entry.regime !== regime) {
      problems.push({ field: `${field}.exemptionIds.${j}`, message: regimeMismatch(regime, entry) });
      return;
    }
    entries.push(entry);
  });
  if (entries.length === 0) return;
  const first = entries[0] as Exemption;
  // As a reply prints them: "Section 31(1)(a)(b) Law enforcement", not each entry in turn.
  const cited = citeExemptions(entries.map((entry) => entry.id)).join(" and ");

  // One application, one section: its reasons are argued once (s.23/s.24 in the alternative excepted).
  const sections = new Set(entries.map((entry) => `${entry.path[0]}|${entry.heading}`));
  if (application.alternative) {
    const pairs = entries.every((entry) =>
      entries.every((other) => other === entry || entry.alternativeWith?.includes(other.id)),
    );
    if (entries.length < 2 || !pairs) {
      problems.push({
        field: `${field}.alternative`,
        message: `Only exemptions that may be cited in the alternative (sections 23 and 24) can be applied this way; ${cited} cannot`,
      });
    }
  } else if (sections.size > 1) {
    problems.push({
      field: `${field}.exemptionIds`,
      message: `Apply ${cited} separately: each section needs its own reasons`,
    });
  }

  // Which questions, and do their decisions fit?
  if (application.questionNumbers.length === 0) {
    problems.push({
      field: `${field}.questionNumbers`,
      message: `Say which questions ${cited} is applied to`,
    });
  }
  const ncnd = isNcndApplication(reply, application);
  let confirms = false;
  application.questionNumbers.forEach((number, j) => {
    const question = reply.questions[number - 1];
    if (!question) {
      problems.push({
        field: `${field}.questionNumbers.${j}`,
        message: `There is no question ${number}: the request has ${reply.questions.length}`,
      });
      return;
    }
    const notHeldException = entries.find((entry) => entry.id === notHeldExceptionOf(regime));
    if (notHeldException) {
      if (question.decision !== "not-held") {
        problems.push({
          field: `${field}.questionNumbers.${j}`,
          message: `${notHeldException.provision} is for information that is not held: question ${number} is marked ${decisionLabels[question.decision].toLowerCase()}`,
        });
      }
      return;
    }
    if (
      question.decision === "disclosed" ||
      question.decision === "not-held" ||
      question.decision === "refused"
    ) {
      problems.push({
        field: `${field}.questionNumbers.${j}`,
        message: `Question ${number} is marked ${decisionLabels[question.decision].toLowerCase()}, but ${cited} is applied to it: change its decision or take it out of this exemption`,
      });
    }
    if (question.decision !== "ncnd") confirms = true;
    if (question.requestersOwnData) {
      for (const entry of entries) {
        if (thirdPartyPersonalData.has(entry.id)) {
          problems.push({
            field: `${field}.exemptionIds`,
            message: `Question ${number} asks for the requester's own personal data: this is a subject access request. The exemption is ${ownDataProvision[regime]}, not ${entry.provision}`,
          });
        }
      }
    }
    if (question.concernsEmissions && isEnvironmental(regime)) {
      for (const entry of entries.filter((e) => e.notForEmissions)) {
        problems.push({
          field: `${field}.exemptionIds`,
          message: `Question ${number} concerns information on emissions, which cannot be refused under ${entry.printed} (${environmentalProvisions[regime].emissions})`,
        });
      }
    }
  });
  if (confirms && application.questionNumbers.some((n) => reply.questions[n - 1]?.decision === "ncnd")) {
    problems.push({
      field: `${field}.questionNumbers`,
      message: `${cited} is applied both to questions answered and to questions neither confirmed nor denied: apply it to each kind separately, since one confirms the information is held and the other does not`,
    });
  }

  // Neither confirm nor deny: the provision must exist, and the text must not give the game away.
  if (ncnd) {
    for (const entry of entries.filter((e) => e.ncnd === null)) {
      problems.push({
        field: `${field}.exemptionIds`,
        message: isEnvironmental(regime)
          ? `${entry.printed} has no neither-confirm-nor-deny provision: under the ${regime.toUpperCase()} only ${environmentalProvisions[regime].ncnd} allow it`
          : regime === "foisa"
            ? `${entry.printed} cannot be used to neither confirm nor deny: section 18(1) applies only with sections 28 to 35, 38, 39(1) and 41`
            : `${entry.printed} has no provision to neither confirm nor deny: confirm whether the information is held, or use an exemption that has one`,
      });
    }
    for (const { field: textField, text } of applicationTexts(application, field)) {
      const phrase = confirmingPhrase(text);
      if (phrase) {
        problems.push({
          field: textField,
          message: `"${phrase}" confirms or denies that the information is held, which a neither-confirm-nor-deny reply must not do: rephrase it`,
        });
      }
    }
  }

  // The requester's own personal data is subject access, not FOI.
  for (const entry of entries.filter((e) => e.ownPersonalData)) {
    if (isBlank(reply.subjectAccessReference)) {
      problems.push({
        field: "subjectAccessReference",
        message: `This is a subject access request: ${entry.printed} covers the requester's own personal data, which they are entitled to under Article 15 of the UK GDPR. Log it as a subject access request and record its reference here`,
      });
    }
  }

  // FOIA s.36: the qualified person's reasonable opinion.
  if (entries.some((entry) => entry.needsQualifiedPersonOpinion)) {
    const opinion = application.qualifiedPersonOpinion;
    if (!opinion) {
      problems.push({
        field: `${field}.qualifiedPersonOpinion`,
        message:
          "Section 36 applies only on the reasonable opinion of the qualified person (s.36(2), (5)): record who gave the opinion and when",
      });
    } else {
      if (isBlank(opinion.name)) {
        problems.push({
          field: `${field}.qualifiedPersonOpinion.name`,
          message: "Enter the name of the qualified person who gave the opinion",
        });
      }
      if (opinion.date > reply.date) {
        problems.push({
          field: `${field}.qualifiedPersonOpinion.date`,
          message: `The qualified person's opinion is dated ${opinion.date}, after the reply (${reply.date}): it must be given before the exemption is relied on`,
        });
      }
      const stated = application.harm?.likelihood;
      if (opinion.likelihood && stated && opinion.likelihood !== stated) {
        problems.push({
          field: `${field}.harm.likelihood`,
          message: `The reply says disclosure "${likelihoodLabels[stated]}" cause the harm, but the qualified person's opinion was "${likelihoodLabels[opinion.likelihood]}"`,
        });
      }
    }
  }

  // The harm test, for prejudice- and necessity-based entries.
  const harmed = entries.filter((entry) => entry.basis !== "class" && entry.harm);
  if (harmed.length > 0) {
    const test = harmed[0]?.harm;
    const harm = application.harm;
    const prejudiceBased = harmed.some((e) => e.basis === "prejudice");
    if (isBlank(harm?.interest)) {
      const when = prejudiceBased
        ? `disclosure would, or would be likely to, ${test?.verb}`
        : `withholding the information ${test?.verb}`;
      problems.push({
        field: `${field}.harm.interest`,
        message: `Name the interest that disclosure would harm: ${cited} applies only where ${when} an interest it protects, such as ${test?.interest}`,
      });
    }
    if (harmed.some((e) => e.basis === "prejudice")) {
      const allowed = harmed.find((e) => e.basis === "prejudice")?.harm?.likelihoods ?? [];
      if (!harm?.likelihood) {
        problems.push({
          field: `${field}.harm.likelihood`,
          message: `Say whether disclosure ${allowed.length > 1 ? "would, or would be likely to," : "would"} ${test?.verb} ${test?.interest}`,
        });
      } else if (!allowed.includes(harm.likelihood)) {
        problems.push({
          field: `${field}.harm.likelihood`,
          message: `Under ${regime === "eir" ? "EIR regulation 12(5)" : first.provision} the harm must be more probable than not: "would", not "${likelihoodLabels[harm.likelihood]}"`,
        });
      }
    }
    if (blankList(harm?.reasoning)) {
      problems.push({
        field: `${field}.harm.reasoning`,
        message: `Explain, with evidence, how disclosing this information would ${test?.verb} ${test?.interest}`,
      });
    }
  } else if (blankList(application.reasons) && !notHeldExplained(reply, entries, application)) {
    problems.push({
      field: `${field}.reasons`,
      message: `Explain why ${cited} applies to the information (${reasonsProvision[regime]})`,
    });
  }

  // The public-interest test: required for qualified entries, and for any FOISA NCND (s.18(1) requires that
  // revealing whether the information is held would be contrary to the public interest). Absolute ones
  // carry none (FOIA s.2(3), FOISA s.2(2)).
  const needsBalance = entries.some((entry) => entry.publicInterestTest) || (regime === "foisa" && ncnd);
  if (needsBalance) {
    const subject =
      entries.filter((e) => e.publicInterestTest).map((e) => e.printed)[0] ?? `${cited} (section 18(1))`;
    problems.push(...publicInterestProblems(`${field}.publicInterest`, application.publicInterest, subject));
  } else if (hasPublicInterestContent(application.publicInterest)) {
    problems.push({
      field: `${field}.publicInterest`,
      message: `${cited} is ${first.status === "absolute" ? "absolute" : "not subject to the public-interest test"}: remove the public-interest factors, which would suggest a test the law does not set`,
    });
  }
}

function validateRefusal(reply: Reply, context: ValidationContext, problems: ReplyProblem[]): void {
  const refusal = reply.refusal;
  if (!reply.refusal || !refusal) return;
  const regime = reply.regime;
  const rule = proceduralRefusal(regime, refusal.ground);

  reply.questions.forEach((question, i) => {
    if (question.decision !== "refused") {
      problems.push({
        field: `questions.${i}.decision`,
        message: `The whole request is refused under ${rule.printed}: mark question ${i + 1} as refused, or remove the refusal`,
      });
    }
  });
  if (reply.exemptions.length > 0) {
    problems.push({
      field: "exemptions",
      message: `A request refused as a whole under ${rule.printed} is not also refused under exemptions: remove them, or answer the request`,
    });
  }

  if (refusal.ground === "cost") {
    const costRule = costRules[regime];
    const estimate = refusal.estimate;
    const lines = estimate?.lines ?? [];
    if (lines.length === 0) {
      problems.push({
        field: "refusal.estimate",
        message: `A refusal on cost needs an estimate: list each activity (${costRule.activities.map((a) => costActivityLabels[a].toLowerCase()).join("; ")}) with the hours it would take`,
      });
    }
    lines.forEach((line, k) => {
      if (!costRule.activities.includes(line.activity)) {
        problems.push({
          field: `refusal.estimate.lines.${k}.activity`,
          message:
            regime === "foisa"
              ? `"${costActivityLabels[line.activity]}" cannot be counted under FOISA: only locating, retrieving and providing the information count, not determining whether it is held (Fees for Required Disclosure Regulations 2004 reg 3)`
              : `"${costActivityLabels[line.activity]}" cannot be counted towards the limit: only determining whether the information is held, locating, retrieving and extracting it count, not considering exemptions or redacting (Appropriate Limit and Fees Regulations 2004 reg 4(3))`,
        });
      }
      if (!(line.hours > 0)) {
        problems.push({
          field: `refusal.estimate.lines.${k}.hours`,
          message: "Enter the hours this activity would take",
        });
      }
      if (isBlank(line.basis)) {
        problems.push({
          field: `refusal.estimate.lines.${k}.basis`,
          message:
            "Explain how the hours were estimated, for example the number of files and the time each takes",
        });
      }
    });
    const hours = lines.reduce((sum, line) => sum + Math.max(line.hours, 0), 0);
    const cost = costOfHours(regime, hours);
    if (!isEnvironmental(regime)) {
      const limit = regime === "foisa" ? 60_000 : context.costLimitPence;
      if (regime === "foia" && estimate?.limitPence === undefined) {
        problems.push({
          field: "refusal.estimate.limitPence",
          message: `State the appropriate limit, ${formatPence(limit)}`,
        });
      } else if (estimate?.limitPence !== undefined && estimate.limitPence !== limit) {
        problems.push({
          field: "refusal.estimate.limitPence",
          message: `The limit for this request is ${formatPence(limit)}, not ${formatPence(estimate.limitPence)}`,
        });
      }
      if (lines.length > 0 && cost <= limit) {
        problems.push({
          field: "refusal.estimate",
          message: `The estimate (${hours} hours, ${formatPence(cost)}) does not exceed the ${regime === "foisa" ? "prescribed amount" : "appropriate limit"} of ${formatPence(limit)}, so section 12 does not apply: answer the request or revise the estimate`,
        });
      }
    }
    const aggregated = estimate?.aggregatedRequests ?? [];
    if (aggregated.length > 0) {
      if (regime === "foisa") {
        problems.push({
          field: "refusal.estimate.aggregatedRequests",
          message:
            "FOISA has no rule for aggregating one person's requests (the Fees Regulations reg 6 covers requests from different people and needs the information to be published): estimate this request on its own",
        });
      } else if (regime === "foia") {
        const span = aggregationSpan([
          reply.receivedDate,
          ...aggregated.map((request) => request.receivedDate),
        ]);
        const window = costRule.aggregationWorkingDays ?? 0;
        if (span > window) {
          problems.push({
            field: "refusal.estimate.aggregatedRequests",
            message: `Requests can be aggregated only if all were received within ${window} consecutive working days (Appropriate Limit and Fees Regulations 2004 reg 5); these span ${span}`,
          });
        }
      }
    }
    if (!reply.advice.some((advice) => advice.purpose === "narrowing" && !isBlank(advice.text))) {
      problems.push({
        field: "advice",
        message: `A refusal on cost must advise the requester how to narrow the request to bring it within the limit, or explain why it cannot be (${adviceProvision[regime]})`,
      });
    }
  }

  if (refusal.ground === "repeated") {
    const previous = refusal.previousRequest;
    if (!previous || isBlank(previous.reference)) {
      problems.push({
        field: "refusal.previousRequest",
        message: "Name the earlier request this one repeats and the date it was answered",
      });
    } else if (previous.answeredDate > reply.date) {
      problems.push({
        field: "refusal.previousRequest.answeredDate",
        message: "The earlier request must have been answered before this reply",
      });
    }
  }
  if (blankList(refusal.reasons) && refusal.ground !== "cost") {
    problems.push({
      field: "refusal.reasons",
      message:
        refusal.ground === "vexatious"
          ? "Explain why the request is vexatious: its burden, its purpose and value, and any harassment or distress it causes"
          : "Explain why a reasonable interval has not passed since the earlier request was answered",
    });
  }
  if (rule.publicInterestTest) {
    problems.push(...publicInterestProblems("refusal.publicInterest", refusal.publicInterest, rule.printed));
  } else if (hasPublicInterestContent(refusal.publicInterest)) {
    problems.push({
      field: "refusal.publicInterest",
      message: `${rule.printed} carries no public-interest test: remove the public-interest factors`,
    });
  }
}

/**
 * Everything that stops `reply` being approved or sent, in the order of the form; empty when it can go.
 * `reply` is a parsed draft (`parseReply`).
 */
export function validateReply(reply: Reply, context: ValidationContext): ReplyProblem[] {
  const problems: ReplyProblem[] = [];
  const regime = reply.regime;

  if (reply.date < reply.receivedDate) {
    problems.push({
      field: "date",
      message: `The reply is dated before the request was received (${reply.receivedDate})`,
    });
  }

  const covered = new Map<number, string[]>();
  reply.exemptions.forEach((application) => {
    for (const number of application.questionNumbers) {
      covered.set(number, [...(covered.get(number) ?? []), ...application.exemptionIds]);
    }
  });

  reply.questions.forEach((question, i) => {
    const number = i + 1;
    const field = `questions.${i}.decision`;
    const ids = covered.get(number) ?? [];
    if (question.decision === "refused" && !reply.refusal) {
      problems.push({
        field,
        message: `Question ${number} is marked refused, but no refusal of the whole request (cost, vexatious or repeated) is recorded`,
      });
    }
    if ((question.decision === "withheld" || question.decision === "partly") && ids.length === 0) {
      problems.push({
        field,
        message: `Question ${number} is ${question.decision === "partly" ? "partly withheld" : "withheld"}, but no exemption is applied to it: add the exemption that allows it to be withheld`,
      });
    }
    if (question.decision === "ncnd" && ids.length === 0) {
      problems.push({
        field,
        message: `Question ${number} neither confirms nor denies, but no exemption is applied to it: add the exemption whose neither-confirm-nor-deny provision applies`,
      });
    }
    const notHeld = notHeldExceptionOf(regime);
    if (question.decision === "not-held" && notHeld && !ids.includes(notHeld)) {
      problems.push({
        field,
        message: `Under the ${regime.toUpperCase()}, information that is not held is refused under ${exemption(notHeld)?.provision.toLowerCase()}: apply that exception to question ${number}`,
      });
    }
    if (question.decision === "disclosed" && question.requestersOwnData) {
      problems.push({
        field,
        message: `Question ${number} asks for the requester's own personal data: this is a subject access request. It is exempt from ${regimeLaw[regime].title} under ${ownDataProvision[regime]}`,
      });
    }
    if (question.decision === "ncnd" && !isBlank(question.notHeldExplanation)) {
      problems.push({
        field: `questions.${i}.notHeldExplanation`,
        message: `Question ${number} neither confirms nor denies, so the reply must not describe searches or say the information is not held`,
      });
    }
  });

  reply.exemptions.forEach((application, index) => {
    validateApplication(reply, application, index, problems);
  });

  // Published information (FOIA s.21, FOISA s.25): say where it is.
  const accessible = reply.exemptions.some((a) =>
    a.exemptionIds.some((id) => id === "foia-21-1" || id === "foisa-25-1"),
  );
  if (accessible && !reply.advice.some((advice) => advice.purpose === "published-information")) {
    problems.push({
      field: "advice",
      message:
        "The information is said to be reasonably accessible: tell the requester where to find it, with a link",
    });
  }

  validateRefusal(reply, context, problems);

  // What is disclosed must match the decisions.
  const decisions = reply.questions.map((q) => q.decision);
  const anyDisclosed = decisions.some((d) => d === "disclosed" || d === "partly");
  const allNcnd = decisions.every((d) => d === "ncnd");
  // A review letter discloses only what is new: what the first reply disclosed has been sent already (an
  // overturned review says what it now discloses, or what happens next: reviewProblems).
  if (anyDisclosed && reply.disclosure.length === 0 && !reply.review) {
    const first = decisions.findIndex((d) => d === "disclosed" || d === "partly") + 1;
    problems.push({
      field: "disclosure",
      message: `Question ${first} is marked as disclosed, but nothing is disclosed: add the information as text, a table or an attachment`,
    });
  }
  reply.disclosure.forEach((block, k) => {
    const field = `disclosure.${k}`;
    if (!anyDisclosed) {
      problems.push({
        field,
        message: allNcnd
          ? "A reply that neither confirms nor denies must disclose nothing: this would confirm the information is held"
          : "No question is marked as disclosed: mark the questions this answers as disclosed or partly disclosed, or remove it",
      });
    } else {
      block.questionNumbers.forEach((number, j) => {
        const decision = reply.questions[number - 1]?.decision;
        if (!decision) {
          problems.push({
            field: `${field}.questionNumbers.${j}`,
            message: `There is no question ${number}`,
          });
        } else if (decision === "ncnd") {
          problems.push({
            field: `${field}.questionNumbers.${j}`,
            message: `Question ${number} neither confirms nor denies, but this disclosure answers it, which confirms the information is held`,
          });
        } else if (decision !== "disclosed" && decision !== "partly") {
          problems.push({
            field: `${field}.questionNumbers.${j}`,
            message: `This answers question ${number}, which is marked ${decisionLabels[decision].toLowerCase()}`,
          });
        }
      });
    }
    if (block.kind === "text" && isBlank(block.text)) {
      problems.push({ field: `${field}.text`, message: "Enter the text, or remove the paragraph" });
    }
    if (block.kind === "table") {
      if (isBlank(block.caption)) {
        problems.push({
          field: `${field}.caption`,
          message: "Give the table a caption that says what it shows",
        });
      }
      block.rows.forEach((row, r) => {
        if (row.length !== block.columns.length) {
          problems.push({
            field: `${field}.rows.${r}`,
            message: `Row ${r + 1} has ${row.length} cells but the table has ${block.columns.length} columns`,
          });
        }
      });
    }
  });

  // A reply that neither confirms nor denies throughout must not confirm anywhere in its own words.
  if (allNcnd) {
    const texts = [
      ...reply.reasons.map((text, i) => ({ field: `reasons.${i}`, text })),
      ...reply.advice.map((advice, i) => ({ field: `advice.${i}.text`, text: advice.text })),
    ];
    for (const { field, text } of texts) {
      const phrase = confirmingPhrase(text);
      if (phrase) {
        problems.push({
          field,
          message: `"${phrase}" confirms or denies that the information is held, which a neither-confirm-nor-deny reply must not do: rephrase it`,
        });
      }
    }
  }

  reply.advice.forEach((advice, i) => {
    if (isBlank(advice.text))
      problems.push({ field: `advice.${i}.text`, message: "Enter the advice, or remove it" });
  });
  if (reply.review) problems.push(...reviewProblems(reply, reply.review));
  return problems;
}

/** Decisions that still keep something back from the requester. */
const keepsBack = new Set(["withheld", "partly", "ncnd", "refused"]);

/**
 * What a review letter lacks: the decision and its reasons (s.45 code of practice (2018) para 5.10; FOISA
 * s.21(5); EIR reg 11(4)), a decision that matches what the letter does, and, where it is overturned, what
 * is now disclosed or what happens next. The rest of the letter is checked as any reply is: whatever is
 * still withheld needs a complete refusal notice.
 */
function reviewProblems(reply: Reply, review: NonNullable<Reply["review"]>): ReplyProblem[] {
  const problems: ReplyProblem[] = [];
  if (review.requestedDate < reply.receivedDate)
    problems.push({
      field: "review.requestedDate",
      message: "The review was asked for before the request was received: check the date",
    });
  if (!review.outcome)
    problems.push({
      field: "review.outcome",
      message: "Choose the review decision: upheld, partly overturned or overturned",
    });
  if (review.reasons.every(isBlank))
    problems.push({
      field: "review.reasons",
      message:
        "Give the reasons for the review decision: the requester is told why the original decision stands or was changed (s.45 code of practice, part 5)",
    });
  const disclosing = reply.disclosure.length > 0;
  if (review.outcome === "upheld" && disclosing)
    problems.push({
      field: "review.outcome",
      message:
        "The decision is upheld, yet the letter discloses information: choose partly overturned, or remove the disclosure",
    });
  if (review.outcome && review.outcome !== "upheld" && !disclosing && isBlank(review.nextSteps))
    problems.push({
      field: "review.nextSteps",
      message:
        "The decision is overturned: add what is now disclosed under Disclosure, or say what happens next (for example, a new reply by a date)",
    });
  if (review.outcome === "overturned")
    reply.questions.forEach((question, i) => {
      if (keepsBack.has(question.decision))
        problems.push({
          field: `questions.${i}.decision`,
          message: `The decision is overturned in full, yet question ${i + 1} is still ${decisionLabels[question.decision].toLowerCase()}: choose partly overturned, or change the question's decision`,
        });
    });
  return problems;
}

/** Throws one `invalid` domain error listing every problem, for the approve and send actions. */
export function assertReplyReady(reply: Reply, context: ValidationContext): void {
  const problems = validateReply(reply, context);
  const first = problems[0];
  if (first) throw new DomainError("invalid", first.message, first.field, problems);
}
