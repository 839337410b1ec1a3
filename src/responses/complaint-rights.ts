import type { InformationRegime } from "../law/index.ts";

// The requester's rights after the reply, chosen by regime. FOIA s.17(7) and EIR reg 14(5) require the
// notice to give particulars of the complaints procedure and of the right to apply to the Commissioner;
// FOISA s.19 requires particulars of the review procedure and of the rights under s.47(1) and s.56; EISR reg
// 13(e), the review provisions of reg 16 and the enforcement and appeal provisions of reg 17.

export interface ComplaintParagraph {
  text: string;
  link?: { url: string; text: string };
}

const ico = { url: "https://ico.org.uk/make-a-complaint/", text: "ico.org.uk/make-a-complaint" };
const sic = { url: "https://www.foi.scot/", text: "www.foi.scot" };

export const complaintRightsText: Record<InformationRegime, readonly ComplaintParagraph[]> = {
  // s.45 code of practice (2018) paras 5.1–5.4: review asked for within 40 working days, normally answered
  // within 20; s.50: application to the Information Commissioner.
  foia: [
    {
      text: "If you are unhappy with this response, you may ask for an internal review. Please write to us within 40 working days of the date of this response, quoting the reference number above and saying what you would like us to look at again. The review will be carried out by someone who was not involved in the original decision, and we aim to reply within 20 working days.",
    },
    {
      text: "If you remain unhappy after the internal review, you may apply to the Information Commissioner under section 50 of the Freedom of Information Act 2000 for a decision on whether we dealt with your request in accordance with the Act. The Commissioner will normally expect the internal review to have been completed first. You can contact the Information Commissioner's Office online, or by telephone on 0303 123 1113:",
      link: ico,
    },
  ],
  // EIR reg 11: representations within 40 working days, reconsidered within 40 working days; reg 18 applies
  // FOIA s.50 (the Commissioner's enforcement and appeal provisions).
  eir: [
    {
      text: "If you are unhappy with this response, you may make representations to us under regulation 11 of the Environmental Information Regulations 2004 and ask us to reconsider our decision. Please write to us within 40 working days of the date of this response, quoting the reference number above. We will reconsider the decision and reply within 40 working days of receiving your representations.",
    },
    {
      text: "If you remain unhappy after we have reconsidered, you may apply to the Information Commissioner under section 50 of the Freedom of Information Act 2000, as applied by regulation 18 of the Regulations. You can contact the Information Commissioner's Office online, or by telephone on 0303 123 1113:",
      link: ico,
    },
  ],
  // FOISA s.20(3), (5): review requirement in writing or another recordable form within 40 working days;
  // s.21(1): reply within 20 working days; s.47(1), (4): application to the Scottish Information Commissioner
  // within six months; s.56: appeal to the Court of Session on a point of law.
  foisa: [
    {
      text: "If you are unhappy with how we have dealt with your request, you may ask us to review our decision under section 20 of the Freedom of Information (Scotland) Act 2002. Your request for a review must be in writing or another recordable form, give your name and an address for correspondence, describe your original request and explain why you are unhappy. Please send it within 40 working days of receiving this response. We will reply within 20 working days of receiving it.",
    },
    {
      text: "If you remain unhappy after our review, you may apply to the Scottish Information Commissioner for a decision under section 47(1) of the Act, normally within six months of receiving our review response. You can apply online or write to the Scottish Information Commissioner, Kinburn Castle, Doubledykes Road, St Andrews, Fife, KY16 9DS:",
      link: sic,
    },
    {
      text: "If you are unhappy with the Commissioner's decision, you may appeal to the Court of Session on a point of law only (section 56 of the Act).",
    },
  ],
  // EISR reg 16(1)–(2): representations in writing within 40 working days of receiving the decision; reg
  // 16(3): free of charge; reg 16(4): a decision within 20 working days of receiving them; reg 17: FOISA
  // Part 4 applies, so s.47(1) (the Scottish Information Commissioner, within six months) and s.56 (the
  // Court of Session, on a point of law).
  eisr: [
    {
      text: "If you are unhappy with how we have dealt with your request, you may ask us to review our decision under regulation 16 of the Environmental Information (Scotland) Regulations 2004. Please write to us within 40 working days of receiving this response, describing your original request and explaining why you are unhappy. The review is free of charge, and we will tell you our decision within 20 working days of receiving your request for review.",
    },
    {
      text: "If you remain unhappy after our review, you may apply to the Scottish Information Commissioner for a decision under section 47(1) of the Freedom of Information (Scotland) Act 2002, as applied by regulation 17 of the Regulations, normally within six months of receiving our review response. You can apply online or write to the Scottish Information Commissioner, Kinburn Castle, Doubledykes Road, St Andrews, Fife, KY16 9DS:",
      link: sic,
    },
    {
      text: "If you are unhappy with the Commissioner's decision, you may appeal to the Court of Session on a point of law only (section 56 of that Act, as applied by regulation 17).",
    },
  ],
};
