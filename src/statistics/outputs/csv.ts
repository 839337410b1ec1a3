import { csvField } from "../csv.ts";
import { type PublishedTable, SUPPRESSED } from "./view.ts";

/**
 * CSV in long form (one row per cell, margins labelled "Total"), withheld figures as "[c]": data only, so
 * that it loads cleanly into any tool. What "[c]" means goes in a file of its own (notesCsv), as the ONS
 * keeps notes on a sheet of their own.
 */
export function tableCsv(published: PublishedTable): string {
  const header = [...published.dimensions, "Count", ...(published.magnitude ? [published.quantity] : [])];
  const lines = [header.map(csvField).join(",")];
  for (const cell of published.cells) {
    const figures = [cell.withheld ? SUPPRESSED : String(cell.freq)];
    if (published.magnitude) figures.push(cell.withheld ? SUPPRESSED : String(cell.value));
    lines.push([...cell.labels, ...figures].map(csvField).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** The table's notes (what its symbols mean), one row each, numbered: the CSV beside tableCsv's. */
export function notesCsv(published: PublishedTable): string {
  const lines = ["Note number,Note text"];
  published.notes.forEach((note, index) => {
    lines.push([String(index + 1), note].map(csvField).join(","));
  });
  return `${lines.join("\r\n")}\r\n`;
}
