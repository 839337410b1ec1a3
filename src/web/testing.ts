import { Writable } from "node:stream";
import type { LightMyRequestResponse } from "fastify";
import type { DatabaseHandle } from "../db/index.ts";
import type { TestBackend } from "../db/testing.ts";
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from "../demo/index.ts";
import type { Actor } from "../requests/index.ts";
import { type FileStore, memoryFileStore } from "../storage/index.ts";
import {
  beginEnrolment,
  confirmEnrolment,
  createApiToken,
  type NewStaffUser,
  type StaffUser,
  secondFactorRequired,
  totpCode,
} from "../users/index.ts";
import { addTestUser, testPasswordOf } from "../users/testing.ts";
import { type AppDeps, buildApp } from "./app.ts";
import type { WebConfig } from "./config.ts";
import type { App } from "./types.ts";

// Helpers for HTTP tests: an app over a test database, with a browser-like cookie jar and a captured log.

export interface TestApp {
  app: App;
  handle: DatabaseHandle;
  /** Every log line the app wrote, as text. */
  logs: string[];
  close(): Promise<void>;
}

export async function openTestApp(
  backend: TestBackend,
  options: {
    config?: Partial<WebConfig>;
    now?: () => Date;
    extraRoutes?: (app: App) => void;
    /** The file store (by default one in memory). */
    files?: FileStore;
    /** Outbound mail (by default the outbox in memory): a test's switchable transport, to refuse at will. */
    mail?: AppDeps["mail"];
  } = {},
): Promise<TestApp> {
  const handle = await backend.open();
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = buildApp({
    db: handle.db,
    files: options.files ?? memoryFileStore(),
    config: { baseUrl: "http://localhost:3000", ...options.config },
    ...(options.now ? { now: options.now } : {}),
    ...(options.mail ? { mail: options.mail } : {}),
    logger: { level: "info", stream },
  });
  options.extraRoutes?.(app);
  await app.ready();
  return {
    app,
    handle,
    logs,
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}

export const staffPasswords: Record<string, string> = {};
/** The authenticator secret of each member of staff `addStaff` enrolled (managers and administrators). */
export const staffTotpSecrets: Record<string, string> = {};

/**
 * Creates a member of staff whose password is `<username>-password-1`. Managers and administrators, who must
 * have a second factor, get an authenticator secret (enrolled at a fixed time, so no test reads the clock).
 */
export async function addStaff(
  handle: DatabaseHandle,
  user: Omit<NewStaffUser, "password"> & { password?: string },
): Promise<StaffUser> {
  const password = user.password ?? testPasswordOf(user.username);
  staffPasswords[user.username] = password;
  // Created and enrolled at a fixed time, so no test reads the clock.
  const enrolledAt = new Date(0);
  const created = await addTestUser(handle.db, { ...user, password }, enrolledAt);
  if (secondFactorRequired(created.role, "managers")) {
    const { secret } = await beginEnrolment(handle.db, created, "tests");
    await confirmEnrolment(
      handle.db,
      created.id,
      totpCode(secret, enrolledAt),
      { userId: null, label: "tests" },
      enrolledAt,
    );
    staffTotpSecrets[user.username] = secret;
  }
  return created;
}

/** The casework an HTTP test starts from (setUpCasework). */
export interface Casework {
  /** Each member of staff as the services record who acted, by username. */
  actors: Record<string, Actor>;
  /** Calls the API as `who`, with their Bearer token (null: with none). */
  api(
    who: string | null,
    method: "GET" | "POST" | "PUT",
    url: string,
    payload?: object,
  ): Promise<LightMyRequestResponse>;
  /**
   * Over the API as `who`: logs `request`, starts work on it, saves `reply` as its draft and sends it; the
   * request's id and the answer to sending (any step refused throws).
   */
  replyOverApi(
    who: string,
    request: object,
    reply: object,
  ): Promise<{ id: number; sent: LightMyRequestResponse }>;
}

/**
 * The authority and its staff, as most casework tests begin: the authority set up as `authority`, each member
 * of staff added (addStaff: password `<username>-password-1`) with an API token made at `now`.
 */
export async function setUpCasework(
  t: TestApp,
  options: {
    authority: { name: string; address?: string };
    staff: Array<Omit<NewStaffUser, "password">>;
    now: Date;
  },
): Promise<Casework> {
  await t.handle.db.insertInto("authority").values(options.authority).execute();
  const actors: Record<string, Actor> = {};
  const tokens: Record<string, string> = {};
  for (const member of options.staff) {
    const user = await addStaff(t.handle, member);
    actors[user.username] = { userId: user.id, label: user.name, role: user.role };
    tokens[user.username] = (
      await createApiToken(t.handle.db, { username: user.username }, options.now)
    ).token;
  }
  const api: Casework["api"] = (who, method, url, payload) =>
    t.app.inject({
      method,
      url,
      headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
      ...(payload ? { payload } : {}),
    });
  /** The answer's JSON when it is a success; the refusal, thrown, otherwise. */
  const accepted = (step: string, response: LightMyRequestResponse) => {
    if (response.statusCode >= 300) throw new Error(`${step}: ${response.statusCode} ${response.body}`);
    return response.json() as { id: number; version: number };
  };
  return {
    actors,
    api,
    async replyOverApi(who, request, reply) {
      const { id } = accepted("logging", await api(who, "POST", "/api/v1/requests", request));
      const path = `/api/v1/requests/${id}`;
      let { version } = accepted("reading", await api(who, "GET", path));
      version = accepted(
        "starting work",
        await api(who, "POST", `${path}/actions`, { type: "start-work", version }),
      ).version;
      version = accepted(
        "saving the reply",
        await api(who, "PUT", `${path}/reply`, { version, reply }),
      ).version;
      const sent = await api(who, "POST", `${path}/reply/send`, { version });
      accepted("sending", sent);
      return { id, sent };
    },
  };
}

/**
 * What a person reads of a page: scripts and tags removed, the entities our templates write decoded (`&amp;`
 * last, so an escaped entity stays as typed), white space collapsed.
 */
export function visible(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** The value of the hidden `_csrf` field in a page. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error("the page has no _csrf field");
  return match[1]!;
}

/** A browser: keeps cookies between requests, as a person's browser would, until their Max-Age or Expires has
 * passed. Cookies age by the app's injected clock, standing in for the browser's own, never the wall clock. */
export class Browser {
  readonly cookies = new Map<string, string>();
  /** When each cookie with a lifetime ends, in the app's milliseconds (none: when the browser closes). */
  private readonly endsAt = new Map<string, number>();
  readonly app: App;

  constructor(app: App) {
    this.app = app;
  }

  private keep(response: LightMyRequestResponse): LightMyRequestResponse {
    const now = this.app.now().getTime();
    for (const cookie of response.cookies as Array<{
      name: string;
      value: string;
      expires?: Date;
      maxAge?: number;
    }>) {
      // Max-Age wins over Expires, as in a browser (RFC 6265 s.5.3 step 3).
      const endsAt = cookie.maxAge !== undefined ? now + cookie.maxAge * 1000 : cookie.expires?.getTime();
      if ((endsAt !== undefined && endsAt <= now) || cookie.value === "") {
        this.cookies.delete(cookie.name);
        this.endsAt.delete(cookie.name);
        continue;
      }
      this.cookies.set(cookie.name, cookie.value);
      if (endsAt === undefined) this.endsAt.delete(cookie.name);
      else this.endsAt.set(cookie.name, endsAt);
    }
    return response;
  }

  /** The Cookie header this browser would send now (its unexpired cookies), for a request made by hand. */
  cookieHeader(): { cookie?: string } {
    const now = this.app.now().getTime();
    for (const [name, endsAt] of this.endsAt)
      if (endsAt <= now) {
        this.cookies.delete(name);
        this.endsAt.delete(name);
      }
    return this.cookies.size
      ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ") }
      : {};
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.app.inject({ method: "GET", url, headers: { ...this.cookieHeader(), ...headers } }),
    );
  }

  /** Submits a form as a browser would (urlencoded); a list is sent as repeated fields (ticked checkboxes). */
  async post(url: string, form: Record<string, string | string[]>): Promise<LightMyRequestResponse> {
    const payload = new URLSearchParams();
    for (const [name, value] of Object.entries(form))
      for (const item of Array.isArray(value) ? value : [value]) payload.append(name, item);
    return this.keep(
      await this.app.inject({
        method: "POST",
        url,
        headers: { ...this.cookieHeader(), "content-type": "application/x-www-form-urlencoded" },
        payload: payload.toString(),
      }),
    );
  }

  /**
   * Opens the sign-in page and submits it, then the authenticator code when one is asked for; returns the
   * response to the last submission.
   */
  async signIn(username: string, password = staffPasswords[username] ?? ""): Promise<LightMyRequestResponse> {
    const page = await this.get("/staff/sign-in");
    const response = await this.post("/staff/sign-in", { _csrf: csrfFrom(page.body), username, password });
    // The demo's manager and administrator use its published key.
    const secret = staffTotpSecrets[username] ?? (password === DEMO_PASSWORD ? DEMO_TOTP_SECRET : undefined);
    const location = String(response.headers.location ?? "");
    if (!secret || !location.startsWith("/staff/sign-in/code")) return response;
    // Tests sign the same person in many times within one 30-second step, which a person cannot do: a code is
    // accepted once (RFC 6238 s.5.2, tested in users/). Forget the last step so each sign-in here gets one.
    await this.app.db
      .updateTable("users")
      .set({ totp_last_step: null })
      .where("username", "=", username)
      .execute();
    const codePage = await this.get(location);
    // No code page (the sign-in's cookie was not kept): the caller sees where it was sent instead.
    if (codePage.statusCode !== 200) return codePage;
    return this.post("/staff/sign-in/code", {
      _csrf: csrfFrom(codePage.body),
      code: totpCode(secret, this.app.now()),
      ...(new URL(location, "http://x").searchParams.get("next")
        ? { next: new URL(location, "http://x").searchParams.get("next")! }
        : {}),
    });
  }

  /** The CSRF token of the signed-in session, as its pages carry it. */
  async csrfToken(): Promise<string> {
    const page = await this.get("/staff/no-such-page");
    return csrfFrom(page.body);
  }
}
