import * as fontkit from "fontkit";

// The letter's typeface: Source Sans 3 (Adobe, SIL Open Font Licence), regular and bold, embedded and
// subset by pdfkit. It has every Welsh letter (ŵ ŷ Ŵ Ŷ), names such as Łukasz, Ó Dónaill or Nguyễn, and
// the typographic marks (– — ’ “ ” € ≥) that pdfkit's built-in Helvetica, limited to Windows-1252, lacks.
// An accessible PDF must also embed its fonts (PDF/UA, ISO 14289-1 7.21.4.1). Pure: the font files are read
// at the edge (the caller reads `letterFontFiles` from the npm package and passes the bytes in).

export type LetterFont = "regular" | "bold";

/** The font files the letter needs, inside the `source-sans` npm package. */
export const letterFontFiles: Record<LetterFont, string> = {
  regular: "source-sans/TTF/SourceSans3-Regular.ttf",
  bold: "source-sans/TTF/SourceSans3-Bold.ttf",
};

/** The letter's fonts, parsed (parsing costs far more than a letter: parse once, render many). */
export type LetterFonts = Record<LetterFont, fontkit.Font>;

/** ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ: Unicode's Latin ligatures, kept only for old encodings. */
const isLigatureForm = (codePoint: number) => codePoint >= 0xfb00 && codePoint <= 0xfb06;

/** How many shaped words each font keeps: a letter has a few hundred, mostly the same from letter to letter. */
const shapedWordsKept = 20_000;

/**
 * Shaping a word (fontkit's OpenType substitution and positioning) is most of a letter's cost, and pdfkit
 * keeps what it shaped only for one document: here the font remembers each word it shaped for every letter
 * after. Shaping depends on the font and the text alone, so the letters are the same, byte for byte. pdfkit
 * scales the positions it is given in place, so each caller gets its own copy of them.
 */
function rememberShaping(font: fontkit.Font): void {
  const layout = font.layout.bind(font);
  const shaped = new Map<string, fontkit.GlyphRun>();
  const copy = (run: fontkit.GlyphRun): fontkit.GlyphRun =>
    Object.assign(Object.create(Object.getPrototypeOf(run)) as fontkit.GlyphRun, run, {
      glyphs: [...run.glyphs],
      positions: run.positions.map((position) =>
        Object.assign(Object.create(Object.getPrototypeOf(position)), position),
      ),
      features: { ...run.features },
    });
  font.layout = (text, ...options) => {
    // Only the plain call pdfkit makes is remembered: features, script and direction shape otherwise.
    if (typeof text !== "string" || options.some((option) => option !== undefined))
      return layout(text, ...options);
    let run = shaped.get(text);
    if (!run) {
      // Forget the oldest first, so that a server running for months holds a bounded number of words.
      if (shaped.size >= shapedWordsKept) shaped.delete(shaped.keys().next().value!);
      run = layout(text);
      shaped.set(text, copy(run));
      return run;
    }
    return copy(run);
  };
}

function open(name: LetterFont, bytes: Uint8Array): fontkit.Font {
  const font = fontkit.create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (!("characterSet" in font))
    throw new Error(`the ${name} letter font is a font collection, not one font`);
  // fontkit keeps each glyph with the characters it was first drawn for, and pdfkit's text map (ToUnicode)
  // reads them: visiting the characters in order now gives a glyph shared by two (space and no-break space,
  // "-" and U+2010) its lowest one, so a letter's bytes never depend on letters made before it. Ligatures
  // are left to be made from their letters ("ff" from f, f), which is why printable() spells out ﬀ ﬁ ﬂ.
  for (const codePoint of [...font.characterSet].sort((a, b) => a - b)) {
    if (!isLigatureForm(codePoint)) font.glyphForCodePoint(codePoint);
  }
  rememberShaping(font);
  return font;
}

/** The fonts parsed from the bytes of `letterFontFiles`. */
export function parseLetterFonts(files: Record<LetterFont, Uint8Array>): LetterFonts {
  return { regular: open("regular", files.regular), bold: open("bold", files.bold) };
}

/**
 * The text as the letter prints it: tabs as spaces, carriage returns and other control characters dropped
 * (new lines kept), a soft hyphen dropped (pdfkit breaks lines itself), a ligature such as ﬁ as its letters,
 * and a character neither font can draw as "?", not as an empty box that a screen reader would read as nothing.
 */
export function printable(text: string, fonts: LetterFonts): string {
  const { regular, bold } = fonts;
  let out = "";
  // Composed, a letter typed as e + combining accent is the one glyph the font draws best.
  for (const character of text.normalize("NFC")) {
    const code = character.codePointAt(0) ?? 0;
    if (character === "\n") out += character;
    else if (isLigatureForm(code)) out += character.normalize("NFKC");
    else if (character === "\t") out += " ";
    else if (code < 32 || (code >= 0x7f && code < 0xa0) || code === 0xad) continue;
    else if (regular.hasGlyphForCodePoint(code) && bold.hasGlyphForCodePoint(code)) out += character;
    else out += "?";
  }
  return out;
}
