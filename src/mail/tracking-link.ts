import { escapeHtml, formatLongDate } from "../responses/index.ts";
import type { OutboundMessage } from "./outbound.ts";

// A new private tracking link, sent when a requester asks for theirs again (the public site's "send me my
// link again"). Pure: everything comes in as arguments.

export interface TrackingLinkInput {
  authorityName: string;
  requestId: number;
  reference: string;
  requesterName: string;
  email: string;
  receivedDate: string;
  trackingUrl: string;
}

export function trackingLinkMessage(input: TrackingLinkInput): OutboundMessage {
  const subject = `Your link to request ${input.reference}`;
  const paragraphs = [
    `Dear ${input.requesterName || "requester"},`,
    `You asked us to send you the link to your request ${input.reference}, which we received on ${formatLongDate(input.receivedDate)}. You can see where it is, read our reply and ask for an internal review at this private link:`,
  ];
  const after = [
    "Any earlier link to this request no longer works. Anyone with this link can see your request, so do not share it.",
    "If you did not ask for this email, you can ignore it: only you have been sent the link.",
    input.authorityName,
  ];
  const text = [...paragraphs, input.trackingUrl, ...after].join("\n\n").concat("\n");
  const html = [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8"><title>',
    escapeHtml(subject),
    '</title></head><body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5">',
    ...paragraphs.map((words) => `<p>${escapeHtml(words)}</p>`),
    `<p><a href="${escapeHtml(input.trackingUrl)}">${escapeHtml(input.trackingUrl)}</a></p>`,
    ...after.map((words) => `<p>${escapeHtml(words)}</p>`),
    "</body></html>",
  ].join("\n");
  return { to: input.email, subject, text, html, kind: "tracking-link", requestId: input.requestId };
}
