import { describe, expect, it } from "vitest";
import { type DomainError, isDomainError } from "../errors.ts";
import { bankHolidays, listHolidays } from "./bank-holidays.ts";
import { parseGovUkFeed } from "./gov-uk-feed.ts";
import { tryParseIsoDate } from "./iso-date.ts";
import { WorkingCalendar } from "./working-calendar.ts";

function feedError(text: string): DomainError {
  try {
    parseGovUkFeed(text);
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error("expected the feed to be rejected");
}

const sample = `{
  "england-and-wales": {
    "division": "england-and-wales",
    "events": [
      { "title": "New Year’s Day", "date": "2027-01-01", "notes": "", "bunting": true },
      { "title": "Extra bank holiday", "date": "2027-06-07", "notes": "", "bunting": true }
    ]
  },
  "scotland": {
    "division": "scotland",
    "events": [{ "title": "St Andrew\\u2019s Day", "date": "2027-11-30", "notes": "", "bunting": true }]
  }
}`;

describe("GOV.UK bank-holidays feed", () => {
  it("reads the feed format, any subset of divisions", () => {
    const feed = parseGovUkFeed(sample);
    expect(feed["england-and-wales"]).toEqual([
      { date: "2027-01-01", title: "New Year’s Day", notes: "" },
      { date: "2027-06-07", title: "Extra bank holiday", notes: "" },
    ]);
    expect(feed.scotland?.[0]?.title).toBe("St Andrew’s Day");
    expect(feed["northern-ireland"]).toBeUndefined();
  });

  it("reads back the feed written from the rules (the published file's shape)", () => {
    const feedText = JSON.stringify(
      Object.fromEntries(
        (["england-and-wales", "scotland", "northern-ireland"] as const).map((division) => [
          division,
          { division, events: bankHolidays(division, 2018, 2028).map((h) => ({ ...h, bunting: true })) },
        ]),
      ),
      null,
      2,
    );
    const feed = parseGovUkFeed(feedText);
    expect(feed.scotland).toEqual(bankHolidays("scotland", 2018, 2028));
  });

  it("adds imported dates to the rules: in listings and in the working days", () => {
    const feed = parseGovUkFeed(sample);
    const dates = listHolidays("england-and-wales", 2027, 2027, feed).map((h) => h.date);
    expect(dates).toContain("2027-06-07");
    expect(dates.filter((d) => d === "2027-01-01")).toHaveLength(1);
    expect(new WorkingCalendar("uk").isWorkingDay(tryParseIsoDate("2027-06-07"))).toBe(true);
    expect(new WorkingCalendar("uk", feed).isWorkingDay(tryParseIsoDate("2027-06-07"))).toBe(false);
    expect(new WorkingCalendar("scotland", feed).isWorkingDay(tryParseIsoDate("2027-06-07"))).toBe(true);
  });

  it("names the line of a malformed entry", () => {
    const badDate = sample.replace('"2027-06-07"', '"2027-02-30"');
    expect(feedError(badDate).message).toBe(
      'line 6: event date "2027-02-30" is not a real date in the form YYYY-MM-DD',
    );
    expect(feedError(badDate).field).toBe("feed");
    const noTitle = sample.replace('"title": "Extra bank holiday", ', "");
    expect(feedError(noTitle).message).toMatch(/^line 6: event on 2027-06-07 has no "title"/);
    const syntax = sample.replace('"bunting": true }\n    ]', '"bunting": true },\n    ]');
    expect(feedError(syntax).message).toMatch(/^line 7: expected a value/);
    expect(feedError(sample.replace('"scotland": {', '"wales": {')).message).toMatch(
      /^line 9: unknown division "wales"/,
    );
    expect(feedError(sample.replace("}\n}", "}\n}}")).message).toMatch(/^line 13: unexpected text/);
    expect(feedError("[]").message).toMatch(/^line 1: the feed must be a JSON object/);
    expect(feedError('{"scotland": {"division": "scotland"}}').message).toMatch(/has no "events"/);
    expect(feedError('{"scotland": {\n"events": [{"date": 20270101, "title": "x"}]}}').message).toMatch(
      /^line 2:/,
    );
  });
});
