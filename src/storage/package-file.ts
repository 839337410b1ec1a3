import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

/** A file shipped inside an installed npm package (a font, say), named by its path there: "source-sans/TTF/…". */
export async function readPackageFile(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(createRequire(import.meta.url).resolve(path)));
}
