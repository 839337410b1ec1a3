import type { RoutePlugin } from "../../types.ts";
import { accountRoutes } from "./account.ts";
import { documentCheckRoutes } from "./document-checks.ts";
import { documentRoutes } from "./documents.ts";
import { feedbackRoutes } from "./feedback.ts";
import { homeRoutes } from "./home.ts";
import { inboxRoutes } from "./inbox.ts";
import { outboxRoutes } from "./outbox.ts";
import { paragraphRoutes } from "./paragraphs.ts";
import { publicationRoutes } from "./publication.ts";
import { publicationSchemeRoutes } from "./publication-scheme.ts";
import { replyRoutes } from "./replies.ts";
import { reportRoutes } from "./reports.ts";
import { requesterRoutes } from "./requesters.ts";
import { requestRoutes } from "./requests.ts";
import { retentionRoutes } from "./retention.ts";
import { settingsRoutes } from "./settings.ts";
import { statisticsRoutes } from "./statistics.ts";
import { userRoutes } from "./users.ts";

/**
 * The signed-in back office, one file of routes per area; each is registered under /staff behind sign-in and
 * the CSRF check. To add an area: write `routes/<area>.ts` exporting a RoutePlugin, put its views in
 * `views/staff/<area>/`, and add it here (and to navigation.ts if it needs a link).
 */
export const staffRoutes: RoutePlugin[] = [
  homeRoutes,
  userRoutes,
  accountRoutes,
  requestRoutes,
  documentRoutes,
  documentCheckRoutes,
  requesterRoutes,
  inboxRoutes,
  outboxRoutes,
  feedbackRoutes,
  publicationRoutes,
  publicationSchemeRoutes,
  replyRoutes,
  paragraphRoutes,
  statisticsRoutes,
  settingsRoutes,
  reportRoutes,
  retentionRoutes,
];
