import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import nunjucks from "nunjucks";
import { roleLabels, type StaffUser } from "../users/index.ts";
import { assetBase, govukFrontendFolder } from "./asset-version.ts";
import type { ResolvedWebConfig } from "./config.ts";
import { formatDate, formatDateTime } from "./dates.ts";
import { dueDateTag } from "./due-date-tag.ts";
import { publicChrome } from "./public/chrome.ts";
import { staffNavigation } from "./staff/navigation.ts";

export const viewsFolder = fileURLToPath(new URL("./views/", import.meta.url));
export { formatDate, formatDateTime, govukFrontendFolder };

export function createViews(config: ResolvedWebConfig): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader([viewsFolder, govukFrontendFolder], {
    noCache: config.reloadViews,
  });
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
  // govuk-frontend pipes whole components through `trim` (the service navigation, twice a page); Nunjucks'
  // own is the regex /^\s*|\s*$/g, whose cost grows with the square of each run of blank lines a macro leaves:
  // 7% of the work queue's CPU. String.prototype.trim strips the same characters (ECMAScript: \s is
  // WhiteSpace and LineTerminator), and markup marked safe stays safe, as Nunjucks' copySafeness keeps it.
  env.addFilter("trim", (text: string | nunjucks.runtime.SafeString) =>
    text instanceof nunjucks.runtime.SafeString
      ? new nunjucks.runtime.SafeString(text.val.trim())
      : text.trim(),
  );
  env.addFilter("date", formatDate);
  env.addFilter("dateTime", formatDateTime);
  // The due-date tag's words and colour (components/due-date-tag), also given to the work queue's rows.
  env.addGlobal("dueDateTagOf", dueDateTag);
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
