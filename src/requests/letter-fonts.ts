import { type LetterFonts, letterFontFiles, parseLetterFonts } from "../responses/index.ts";
import { readPackageFile } from "../storage/index.ts";

// The PDF letter's fonts, read from the npm package here at the edge (responses renders, and reads no file),
// once per process: parsing them costs far more than a letter.

let loading: Promise<LetterFonts> | undefined;

export function letterFonts(): Promise<LetterFonts> {
  loading ??= (async () =>
    parseLetterFonts({
      regular: await readPackageFile(letterFontFiles.regular),
      bold: await readPackageFile(letterFontFiles.bold),
    }))();
  return loading;
}
