import { escapeHtml } from "./html.ts";
import { formatFigure, type PublishedTable, SUPPRESSED, SUPPRESSED_MEANING, shownFigure } from "./view.ts";

/** Splits text into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * A horizontal bar chart of the table's cells (by default its interior cells: margins would dwarf them), as
 * SVG with role="img", a <title> and a <desc> that states what it shows, a text label and figure on every bar,
 * and withheld cells drawn as a short hatched bar marked "[c]" with a note below saying what that means.
 */
export function tableSvg(
  published: PublishedTable,
  options: { includeMargins?: boolean; id?: string } = {},
): string {
  const id = options.id ?? "statistics-chart";
  const cells = published.cells.filter((cell) => options.includeMargins || !cell.margin);
  const figures = cells.map((cell) => shownFigure(published, cell));
  const largest = Math.max(1, ...figures.map((figure) => figure ?? 0));
  const labelWidth = 220;
  const barArea = 360;
  const rowHeight = 28;
  const top = 16;
  // Notes wrap to the chart's width (about 7 px a character at 12 px).
  const notes = published.notes.flatMap((note) => wrap(note, 95));
  const noteLines = notes.length;
  const height = top + cells.length * rowHeight + 16 + noteLines * 18;
  const width = labelWidth + barArea + 90;
  const withheld = cells.filter((cell) => cell.withheld).length;
  const description =
    `Bar chart of ${published.quantity.toLowerCase()} by ${published.dimensions.join(" and ")}: ` +
    `${cells.length} bars` +
    (withheld > 0 ? `, ${withheld} of them ${SUPPRESSED_MEANING} and shown hatched without a figure.` : ".");
  const lines: string[] = [];
  lines.push(
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-title ${id}-desc" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Arial, sans-serif" font-size="14">`,
  );
  lines.push(`  <title id="${id}-title">${escapeHtml(published.title)}</title>`);
  lines.push(`  <desc id="${id}-desc">${escapeHtml(description)}</desc>`);
  lines.push(`  <defs>`);
  lines.push(
    `    <pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#505a5f" stroke-width="2"/></pattern>`,
  );
  lines.push(`  </defs>`);
  cells.forEach((cell, row) => {
    const y = top + row * rowHeight;
    const label = cell.labels.join(", ");
    lines.push(
      `  <text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end" fill="#0b0c0c">${escapeHtml(label)}</text>`,
    );
    const figure = figures[row];
    if (cell.withheld || figure === null || figure === undefined) {
      lines.push(
        `  <rect x="${labelWidth}" y="${y + 4}" width="24" height="${rowHeight - 8}" fill="url(#${id}-hatch)" stroke="#505a5f"/>`,
      );
      lines.push(`  <text x="${labelWidth + 32}" y="${y + 17}" fill="#0b0c0c">${SUPPRESSED}</text>`);
    } else {
      const length = Math.max(figure > 0 ? 1 : 0, Math.round((figure / largest) * barArea));
      lines.push(
        `  <rect x="${labelWidth}" y="${y + 4}" width="${length}" height="${rowHeight - 8}" fill="#1d70b8"/>`,
      );
      lines.push(
        `  <text x="${labelWidth + length + 6}" y="${y + 17}" fill="#0b0c0c">${escapeHtml(formatFigure(figure))}</text>`,
      );
    }
  });
  notes.forEach((note, index) => {
    const y = top + cells.length * rowHeight + 16 + index * 18;
    lines.push(`  <text x="0" y="${y}" font-size="12" fill="#505a5f">${escapeHtml(note)}</text>`);
  });
  lines.push(`</svg>`);
  return `${lines.join("\n")}\n`;
}
