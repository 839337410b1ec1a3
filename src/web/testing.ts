import { Writable } from "node:stream";
import type { LightMyRequestResponse } from "fastify";
import type { DatabaseHandle } from "../db/index.ts";
import type { TestBackend } from "../db/testing.ts";
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from "../demo/index.ts";
import { type FileStore, memoryFileStore } from "../storage/index.ts";
import {
  beginEnrolment,
  confirmEnrolment,
  createUser,
  type NewStaffUser,
  secondFactorRequired,
  totpCode,
} from "../users/index.ts";
import { buildApp } from "./app.ts";
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
): Promise<void> {
  const password = user.password ?? `${user.username}-password-1`;
  staffPasswords[user.username] = password;
  const created = await createUser(handle.db, { ...user, password });
  if (secondFactorRequired(created.role, "managers")) {
    const enrolledAt = new Date(0);
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

  private cookieHeader(): Record<string, string> {
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
