import {
  formatFigure,
  type PublishedCell,
  type PublishedTable,
  SUPPRESSED,
  SUPPRESSED_MEANING,
  shownFigure,
} from "./view.ts";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function figureCell(published: PublishedTable, cell: PublishedCell | undefined): string {
  if (!cell) return `<td class="govuk-table__cell govuk-table__cell--numeric"></td>`;
  const figure = shownFigure(published, cell);
  const content =
    cell.withheld || figure === null
      ? `<abbr title="${SUPPRESSED_MEANING}">${SUPPRESSED}</abbr>`
      : escapeHtml(formatFigure(figure));
  return `<td class="govuk-table__cell govuk-table__cell--numeric">${content}</td>`;
}

/**
 * An accessible HTML table in GOV.UK Frontend's markup: a caption, column headers with scope="col", a row
 * header (scope="row") for each label, numbers right-aligned, withheld figures as "[c]" in an <abbr> that says
 * what it means, and the notes below, tied to the table with aria-describedby. The last dimension runs across;
 * the others run down.
 */
export function tableHtml(published: PublishedTable, options: { id?: string } = {}): string {
  const id = options.id ?? "statistics-table";
  const notesId = `${id}-notes`;
  const across = published.dimensions.length - 1;
  const columnLabels = published.labels[across] as string[];
  const byKey = new Map(published.cells.map((cell) => [cell.labels.join("\u0000"), cell]));
  const rowKeys: string[][] = [];
  const seen = new Set<string>();
  for (const cell of published.cells) {
    const key = cell.labels.slice(0, across);
    const joined = key.join("\u0000");
    if (seen.has(joined)) continue;
    seen.add(joined);
    rowKeys.push(key);
  }
  const described = published.notes.length > 0 ? ` aria-describedby="${notesId}"` : "";
  const lines: string[] = [];
  lines.push(`<table class="govuk-table" id="${escapeHtml(id)}"${described}>`);
  lines.push(
    `  <caption class="govuk-table__caption govuk-table__caption--m">${escapeHtml(published.title)}</caption>`,
  );
  lines.push(`  <thead class="govuk-table__head">`);
  lines.push(`    <tr class="govuk-table__row">`);
  if (across === 0) {
    lines.push(
      `      <th scope="col" class="govuk-table__header">${escapeHtml(published.dimensions[0] as string)}</th>`,
    );
    lines.push(
      `      <th scope="col" class="govuk-table__header govuk-table__header--numeric">${escapeHtml(published.quantity)}</th>`,
    );
  } else {
    for (const name of published.dimensions.slice(0, across))
      lines.push(`      <th scope="col" class="govuk-table__header">${escapeHtml(name)}</th>`);
    for (const label of columnLabels)
      lines.push(
        `      <th scope="col" class="govuk-table__header govuk-table__header--numeric">${escapeHtml(label)}</th>`,
      );
  }
  lines.push(`    </tr>`);
  lines.push(`  </thead>`);
  lines.push(`  <tbody class="govuk-table__body">`);
  if (across === 0) {
    for (const cell of published.cells) {
      lines.push(`    <tr class="govuk-table__row">`);
      lines.push(
        `      <th scope="row" class="govuk-table__header">${escapeHtml(cell.labels[0] as string)}</th>`,
      );
      lines.push(`      ${figureCell(published, cell)}`);
      lines.push(`    </tr>`);
    }
  } else {
    for (const key of rowKeys) {
      lines.push(`    <tr class="govuk-table__row">`);
      for (const label of key)
        lines.push(`      <th scope="row" class="govuk-table__header">${escapeHtml(label)}</th>`);
      for (const label of columnLabels)
        lines.push(`      ${figureCell(published, byKey.get([...key, label].join("\u0000")))}`);
      lines.push(`    </tr>`);
    }
  }
  lines.push(`  </tbody>`);
  lines.push(`</table>`);
  if (published.notes.length > 0) {
    lines.push(`<div class="govuk-body-s" id="${notesId}">`);
    for (const note of published.notes) lines.push(`  <p class="govuk-body-s">${escapeHtml(note)}</p>`);
    lines.push(`</div>`);
  }
  return `${lines.join("\n")}\n`;
}
