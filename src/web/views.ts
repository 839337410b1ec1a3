import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import nunjucks from "nunjucks";
import { formatLongDate } from "../calendar/index.ts";
import { roleLabels, type StaffUser } from "../users/index.ts";
import { assetBase, govukFrontendFolder } from "./asset-version.ts";
import type { ResolvedWebConfig } from "./config.ts";
import { publicChrome } from "./public/chrome.ts";
import { staffNavigation } from "./staff/navigation.ts";

export const viewsFolder = fileURLToPath(new URL("./views/", import.meta.url));
export { govukFrontendFolder };

/** `2024-05-01` (or a Date) → `1 May 2024`, the GOV.UK style; empty for nothing. */
export function formatDate(value: unknown): string {
  if (value === null || value === undefined || value === "") return "";
  if (typeof value === "string") {
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
    if (!match) return value;
    return formatLongDate(`${match[1]}-${match[2]}-${match[3]}`);
  }
  if (value instanceof Date) return formatDate(londonParts(value).date);
  return String(value);
}

// Made once: making an Intl.DateTimeFormat costs far more than using one (bench/casework's profile of the
// work queue page; some 0.4 ms a date on a busy machine).
const londonFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "numeric",
  minute: "2-digit",
  hour12: true,
});

function londonParts(moment: Date): { date: string; time: string } {
  const parts = londonFormat.formatToParts(moment);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const period = part("dayPeriod").toLowerCase().replace(/\./g, "").replace(/\s/g, "");
  return {
    date: `${part("year")}-${part("month")}-${part("day")}`,
    time: `${Number(part("hour"))}:${part("minute")}${period}`,
  };
}

/** A moment → `1 May 2024 at 2:15pm`, in UK time. */
export function formatDateTime(value: unknown): string {
  const moment = value instanceof Date ? value : typeof value === "string" ? new Date(value) : null;
  if (!moment || Number.isNaN(moment.getTime())) return "";
  const { date, time } = londonParts(moment);
  return `${formatDate(date)} at ${time}`;
}

export function createViews(config: ResolvedWebConfig): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader([viewsFolder, govukFrontendFolder], {
    noCache: config.reloadViews,
  });
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
  env.addFilter("date", formatDate);
  env.addFilter("dateTime", formatDateTime);
  // `errorMessage: errors | errorFor("username")` in a govuk macro: the field's message, or nothing.
  env.addFilter("errorFor", (errors: Record<string, string> | undefined, field: string) =>
    errors?.[field] ? { text: errors[field] } : false,
  );
  env.addGlobal("serviceName", config.serviceName);
  // Our CSS and JS, at addresses that change with their content (web/assets.ts).
  env.addGlobal("assets", assetBase);
  // govuk-frontend's template names its icons and manifest from here (their content is in the digest too:
  // they change only with govuk-frontend, whose bundles are in it).
  env.addGlobal("assetPath", assetBase);
  env.addGlobal("roleLabels", roleLabels);
  env.addGlobal("staffNavigation", (user: StaffUser | null, currentPath: string) =>
    staffNavigation(user, currentPath),
  );
  return env;
}

/** What every page can use: who is signed in, the CSRF token for forms, where we are. */
export function pageContext(request: FastifyRequest): Record<string, unknown> {
  return {
    user: request.user,
    csrfToken: request.csrfToken,
    currentPath: request.url.split("?")[0],
    correlationId: request.id,
    // The public site's quick exit, cookie banner and feedback link (views/public/layout.njk).
    chrome: publicChrome(request),
  };
}

export function registerViews(
  app: FastifyInstance,
  config: ResolvedWebConfig,
  views = createViews(config),
): nunjucks.Environment {
  app.decorateReply("render", function render(this: FastifyReply, template: string, context = {}) {
    const html = views.render(template, { ...pageContext(this.request), ...context });
    return this.type("text/html; charset=utf-8").send(html);
  });
  return views;
}
