import { describe, expect, it } from "vitest";
import { resolveWebConfig } from "./config.ts";
import { createViews } from "./views.ts";

describe("views", () => {
  const views = createViews(resolveWebConfig({ baseUrl: "http://localhost", serviceName: "FOI desk" }));

  it("trims like Nunjucks' own filter: markup marked safe stays markup, text is still escaped", () => {
    const blankLines = `\n${"   \n".repeat(2000)}`;
    expect(
      views.renderString("[{{ html | safe | trim }}]", { html: `${blankLines}<b>Sign out</b>${blankLines}` }),
    ).toBe("[<b>Sign out</b>]");
    expect(views.renderString("[{{ text | trim }}]", { text: " \t<b>Tom & Jerry</b>\u00a0\n" })).toBe(
      "[&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;]",
    );
    expect(views.renderString("{{ text | trim | length }}", { text: "\u2028 a b \ufeff" })).toBe("3");
  });
});
