import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

// Which files the site serves as assets, and the version in their addresses (web/assets.ts serves them;
// the views link to them).

/** govuk-frontend's dist folder: templates as `govuk/…`, and the compiled CSS, JS, fonts and images. */
export const govukFrontendFolder = join(
  dirname(createRequire(import.meta.url).resolve("govuk-frontend/package.json")),
  "dist",
);
export const ourAssets = fileURLToPath(new URL("./assets/", import.meta.url));
export const govuk = join(govukFrontendFolder, "govuk");

// govuk-frontend's compiled files, served beside its fonts and images so the CSS's `/assets/…` URLs resolve.
export const govukFiles = [
  "govuk-frontend.min.css",
  "govuk-frontend.min.css.map",
  "govuk-frontend.min.js",
  "govuk-frontend.min.js.map",
];

/** A digest of our own CSS and JS and of govuk-frontend's bundles: any change to them is a new version. */
function digestOfAssets(): string {
  const hash = createHash("sha256");
  const ours = readdirSync(ourAssets, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of ours) hash.update(relative(ourAssets, file)).update(readFileSync(file));
  for (const name of govukFiles) hash.update(name).update(readFileSync(join(govuk, name)));
  return hash.digest("hex").slice(0, 12);
}

/**
 * Where pages load our CSS and JS from: `/assets/<digest>/…`. An address changes whenever a file does, so a
 * browser may keep what it fetched from one for a year without asking again (immutable).
 */
export const assetBase = `/assets/${digestOfAssets()}`;
