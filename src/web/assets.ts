import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { govukFrontendFolder } from "./views.ts";

const ourAssets = fileURLToPath(new URL("./assets/", import.meta.url));
const govuk = join(govukFrontendFolder, "govuk");

// govuk-frontend's compiled files, served beside its fonts and images so the CSS's `/assets/…` URLs resolve.
const govukFiles = [
  "govuk-frontend.min.css",
  "govuk-frontend.min.css.map",
  "govuk-frontend.min.js",
  "govuk-frontend.min.js.map",
];

/** `/assets/…`: our own CSS and JS (src/web/assets), then govuk-frontend's fonts, images and bundles. */
export async function assetRoutes(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: [ourAssets, join(govuk, "assets")],
    prefix: "/assets/",
    index: false,
    list: false,
    maxAge: "1h",
    logLevel: "warn",
  });
  for (const file of govukFiles) {
    app.get(`/assets/${file}`, { logLevel: "warn" }, (_request, reply) => reply.sendFile(file, govuk));
  }
}
