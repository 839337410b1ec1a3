import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, PreferredFormat } from "../db/index.ts";
import { requestByTrackingHash } from "./read-models.ts";

// The requester's private tracking link: a random token in a URL. Only its hash is kept, so a copy of the
// database opens no request, and a link can be given again only by making a new one.

/** 32 random bytes: unguessable. */
export function newTrackingToken(): string {
  return randomBytes(32).toString("base64url");
}

export function trackingTokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function trackingUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/track/${token}`;
}

/** Makes `token` the request's link; any earlier link stops working. */
export async function setTrackingToken(
  db: Kysely<Database>,
  requestId: number,
  token: string,
): Promise<void> {
  await db
    .updateTable("requests")
    .set({ tracking_token_hash: trackingTokenHash(token) })
    .where("id", "=", requestId)
    .execute();
}

/** A new request's link, with the format the requester prefers (FOIA s.11(1)), set as intake logs it. */
export async function startTracking(
  db: Kysely<Database>,
  requestId: number,
  token: string,
  preferredFormat: PreferredFormat | null,
): Promise<void> {
  await db
    .updateTable("requests")
    .set({ tracking_token_hash: trackingTokenHash(token), preferred_format: preferredFormat })
    .where("id", "=", requestId)
    .execute();
}

const tokenShape = /^[A-Za-z0-9_-]{43}$/;
/** A link stops working a year after the request last changed (a reply, a review, a decision). */
export const trackingLinkLifetimeMonths = 12;

function expired(updatedAt: Date, now: Date): boolean {
  const until = new Date(updatedAt);
  until.setUTCMonth(until.getUTCMonth() + trackingLinkLifetimeMonths);
  return until <= now;
}

/** The oldest last change a request may have for its link to still work. */
export function linksLiveSince(now: Date): Date {
  const since = new Date(now);
  since.setUTCMonth(since.getUTCMonth() - trackingLinkLifetimeMonths);
  return since;
}

/** The request a link opens: null when the token is malformed, unknown or expired (all "not found"). */
export async function trackedRequest(db: Kysely<Database>, token: string, now: Date) {
  if (!tokenShape.test(token)) return null;
  const row = await requestByTrackingHash(db, trackingTokenHash(token));
  if (!row || expired(row.updated_at, now)) return null;
  return row;
}
