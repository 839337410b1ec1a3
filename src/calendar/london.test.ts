import { describe, expect, it } from "vitest";
import { londonDate } from "./london.ts";

describe("londonDate", () => {
  it("gives the date in the UK, in summer time and out of it", () => {
    expect(londonDate(new Date("2023-06-30T23:30:00Z"))).toBe("2023-07-01"); // 00:30 BST
    expect(londonDate(new Date("2023-12-31T23:30:00Z"))).toBe("2023-12-31"); // GMT
    expect(londonDate(new Date("2023-03-26T00:59:59Z"))).toBe("2023-03-26"); // just before the clocks go forward
  });
});
