import type { RoutePlugin } from "../../types.ts";
import { cookieRoutes } from "./cookies.ts";
import { disclosureLogRoutes } from "./disclosure-log.ts";
import { feedbackRoutes } from "./feedback.ts";
import { publicationSchemeRoutes } from "./publication-scheme.ts";
import { requestFormRoutes } from "./request-form.ts";
import { startRoutes } from "./start.ts";
import { statisticsRoutes } from "./statistics.ts";
import { trackRoutes } from "./track.ts";

/** The public site, one file of routes per area; views in views/public/. */
export const publicRoutes: RoutePlugin[] = [
  startRoutes,
  requestFormRoutes,
  trackRoutes,
  cookieRoutes,
  feedbackRoutes,
  disclosureLogRoutes,
  statisticsRoutes,
  publicationSchemeRoutes,
];
