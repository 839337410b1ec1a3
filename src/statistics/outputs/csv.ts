import { csvField } from "../csv.ts";
import { type PublishedTable, SUPPRESSED } from "./view.ts";

/**
 * CSV in long form (one row per cell, margins labelled "Total"), withheld figures as "[c]", then a blank line
 * and one row per note explaining the symbols: a file that opens in a spreadsheet and reads on its own.
 */
export function tableCsv(published: PublishedTable): string {
  const header = [...published.dimensions, "Count", ...(published.magnitude ? [published.quantity] : [])];
  const lines = [header.map(csvField).join(",")];
  for (const cell of published.cells) {
    const figures = [cell.withheld ? SUPPRESSED : String(cell.freq)];
    if (published.magnitude) figures.push(cell.withheld ? SUPPRESSED : String(cell.value));
    lines.push([...cell.labels, ...figures].map(csvField).join(","));
  }
  if (published.notes.length > 0) {
    lines.push("");
    for (const note of published.notes) lines.push(csvField(`Note: ${note}`));
  }
  return `${lines.join("\r\n")}\r\n`;
}
