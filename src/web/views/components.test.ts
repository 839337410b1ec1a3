import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveWebConfig } from "../config.ts";
import { createViews, formatDate, formatDateTime, viewsFolder } from "../views.ts";

// Each of our components keeps its examples beside its macro (examples.json); every example is rendered here.

interface Example {
  name: string;
  call: string;
  /** The text a person sees, exactly (tags removed, spaces collapsed). */
  text?: string;
  /** A class the outer element carries (the tag's colour). */
  classes?: string;
  contains?: string[];
  excludes?: string[];
}

const visibleText = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();

const views = createViews(resolveWebConfig({ baseUrl: "http://localhost" }));
const componentsFolder = join(viewsFolder, "components");
const components = readdirSync(componentsFolder, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const macroName = (folder: string) =>
  folder.replace(/-(\w)/g, (_match, letter: string) => letter.toUpperCase());

describe.each(components)("component %s", (component) => {
  const examples = JSON.parse(
    readFileSync(join(componentsFolder, component, "examples.json"), "utf8"),
  ) as Example[];
  it.each(examples)("$name", (example) => {
    const html = views.renderString(
      `{% from "components/${component}/macro.njk" import ${macroName(component)} %}{{ ${example.call} }}`,
      {},
    );
    if (example.text !== undefined) expect(visibleText(html)).toBe(example.text);
    if (example.classes) expect(html).toMatch(new RegExp(`^\\s*<[^>]*class="[^"]*\\b${example.classes}\\b`));
    for (const text of example.contains ?? []) expect(html).toContain(text);
    for (const text of example.excludes ?? []) expect(html).not.toContain(text);
  });
});

describe("date filters", () => {
  it("write dates the GOV.UK way", () => {
    expect(formatDate("2024-05-01")).toBe("1 May 2024");
    expect(formatDate("2024-12-25")).toBe("25 December 2024");
    expect(formatDate(null)).toBe("");
  });

  it("write moments in UK time, with am/pm", () => {
    expect(formatDateTime(new Date("2024-07-01T13:05:00Z"))).toBe("1 July 2024 at 2:05pm");
    expect(formatDateTime(new Date("2024-01-15T09:30:00Z"))).toBe("15 January 2024 at 9:30am");
    expect(formatDateTime(new Date("2024-03-31T23:30:00Z"))).toBe("1 April 2024 at 12:30am");
  });
});
