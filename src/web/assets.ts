import { join } from "node:path";
import compress from "@fastify/compress";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { assetBase, govuk, govukFiles, ourAssets } from "./asset-version.ts";

const oneYearSeconds = 365 * 24 * 60 * 60;

/**
 * `/assets/…`: our own CSS and JS (src/web/assets), then govuk-frontend's fonts, images and bundles, each
 * compressed (brotli or gzip) when the browser accepts it. Pages link to the fingerprinted `assetBase`
 * addresses; the plain ones stay for the fonts and images govuk-frontend's CSS names, cached for an hour.
 */
export async function assetRoutes(app: FastifyInstance): Promise<void> {
  // Registered here, inside the assets' own plugin: pages and the API are not compressed (no secret of a
  // page is ever compressed beside what a visitor typed, as BREACH needs).
  await app.register(compress, { threshold: 1024, encodings: ["br", "gzip"] });
  const roots = [ourAssets, join(govuk, "assets")];
  await app.register(fastifyStatic, {
    root: roots,
    prefix: "/assets/",
    index: false,
    list: false,
    maxAge: "1h",
    logLevel: "warn",
  });
  await app.register(fastifyStatic, {
    root: roots,
    prefix: `${assetBase}/`,
    decorateReply: false,
    index: false,
    list: false,
    maxAge: oneYearSeconds * 1000,
    immutable: true,
    logLevel: "warn",
  });
  for (const file of govukFiles) {
    app.get(`/assets/${file}`, { logLevel: "warn" }, (_request, reply) => reply.sendFile(file, govuk));
    // application.js imports "./govuk-frontend.min.js": beside it, under the same version.
    app.get(`${assetBase}/${file}`, { logLevel: "warn" }, (_request, reply) =>
      reply.sendFile(file, govuk, { maxAge: oneYearSeconds * 1000, immutable: true }),
    );
  }
}
