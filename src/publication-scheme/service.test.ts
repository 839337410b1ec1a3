import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { isDomainError } from "../errors.ts";
import {
  entryForm,
  isReviewDue,
  publicationScheme,
  removeEntry,
  reviewDueOn,
  saveEntry,
  schemeForStaff,
  validateEntry,
} from "./index.ts";

// The publication scheme on each database: the model scheme's seven classes in order, entries saved with
// their last-reviewed date, every bad field named, only managers may change it, and the review-due flag on
// an injected clock.

const manager = { label: "Mina Manager", role: "manager" };
const march = new Date("2026-03-02T10:00:00Z");

async function problems(action: () => unknown) {
  try {
    await action();
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { code: error.code, fields: error.problems.map((p) => p.field), message: error.message };
  }
  throw new Error("expected a refusal");
}

describe("validateEntry", () => {
  it("names each bad field: class, title, availability", async () => {
    expect(await problems(() => validateEntry({}))).toMatchObject({
      code: "invalid",
      fields: ["classId", "title", "availability"],
    });
  });

  it("takes only an http or https web address", async () => {
    for (const url of ["javascript:alert(1)", "ftp://example.org/x", "www.example.org", ""])
      expect(
        await problems(() => validateEntry({ classId: "1", title: "Plan", availability: "web", url })),
      ).toMatchObject({ fields: ["url"] });
    expect(
      validateEntry({ classId: "1", title: " Plan ", availability: "web", url: "https://x.example/p" }),
    ).toMatchObject({ title: "Plan", url: "https://x.example/p", releaseId: null });
  });

  it("links the disclosure log by its path and a table by its id", async () => {
    expect(validateEntry({ classId: 6, title: "Log", availability: "disclosure-log" }).url).toBe(
      "/disclosure-log",
    );
    expect(
      await problems(() =>
        validateEntry({ classId: 6, title: "Log", availability: "disclosure-log", url: "https://x" }),
      ),
    ).toMatchObject({ fields: ["url"] });
    expect(
      await problems(() => validateEntry({ classId: 6, title: "T", availability: "statistics" })),
    ).toMatchObject({
      fields: ["releaseId"],
    });
  });

  it("is due for review 12 months after the last review", () => {
    expect(reviewDueOn("2025-03-02")).toBe("2026-03-02");
    expect(isReviewDue("2025-03-03", "2026-03-02")).toBe(false);
    expect(isReviewDue("2025-03-02", "2026-03-02")).toBe(true);
    expect(reviewDueOn("2024-02-29")).toBe("2025-02-28");
  });
});

describe.each(testBackends())("the publication scheme on $name", (backend) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await backend.open();
  });
  afterAll(async () => handle?.close());

  it("has the model scheme's seven classes, in order", async () => {
    const scheme = await publicationScheme(handle.db);
    expect(scheme.map((c) => c.title)).toEqual([
      "Who we are and what we do",
      "What we spend and how we spend it",
      "What our priorities are and how we are doing",
      "How we make decisions",
      "Our policies and procedures",
      "Lists and registers",
      "The services we offer",
    ]);
    expect(scheme[1]?.description).toMatch(/income and expenditure/);
  });

  it("saves an entry reviewed today, changes it, flags it 12 months on, and removes it", async () => {
    const [first] = await publicationScheme(handle.db);
    const id = await saveEntry(
      handle.db,
      null,
      {
        classId: String(first?.id),
        title: "Annual report",
        availability: "web",
        url: "https://w.example/ar",
      },
      manager,
      march,
    );
    const entry = (await publicationScheme(handle.db))[0]?.entries[0];
    expect(entry).toMatchObject({
      id,
      title: "Annual report",
      link: "https://w.example/ar",
      reviewedOn: "2026-03-02",
    });
    expect(JSON.stringify(await publicationScheme(handle.db))).not.toContain("Mina");

    const later = await schemeForStaff(handle.db, new Date("2027-03-02T09:00:00Z"));
    expect(later.reviewDue).toBe(1);
    expect(later.classes[0]?.entries[0]).toMatchObject({ reviewDue: true, reviewedBy: "Mina Manager" });
    expect((await schemeForStaff(handle.db, new Date("2027-03-01T09:00:00Z"))).reviewDue).toBe(0);

    await saveEntry(
      handle.db,
      id,
      { classId: String(first?.id), title: "Annual report 2026", availability: "on-request", charge: "Free" },
      { label: "Abi Admin", role: "admin" },
      new Date("2027-03-05T09:00:00Z"),
    );
    expect((await entryForm(handle.db, id)).values).toMatchObject({
      title: "Annual report 2026",
      url: "",
      charge: "Free",
    });
    const reviewed = await schemeForStaff(handle.db, new Date("2027-03-05T09:00:00Z"));
    expect(reviewed.classes[0]?.entries[0]).toMatchObject({
      reviewDue: false,
      reviewedBy: "Abi Admin",
      link: null,
    });

    await removeEntry(handle.db, id, manager);
    expect((await publicationScheme(handle.db))[0]?.entries).toEqual([]);
  });

  it("refuses a class or table that does not exist, and an officer", async () => {
    expect(
      await problems(() =>
        saveEntry(handle.db, null, { classId: "99", title: "X", availability: "on-request" }, manager, march),
      ),
    ).toMatchObject({ fields: ["classId"] });
    expect(
      await problems(() =>
        saveEntry(
          handle.db,
          null,
          { classId: "1", title: "X", availability: "statistics", releaseId: "77" },
          manager,
          march,
        ),
      ),
    ).toMatchObject({ fields: ["releaseId"] });
    expect(
      await problems(() =>
        saveEntry(
          handle.db,
          null,
          { classId: "1", title: "X", availability: "on-request" },
          { label: "Olu", role: "officer" },
          march,
        ),
      ),
    ).toMatchObject({ code: "forbidden" });
    expect(await problems(() => removeEntry(handle.db, 12345, manager))).toMatchObject({ code: "not-found" });
  });

  it("shows a Scottish authority the Scottish Information Commissioner's nine classes (FOISA s.23)", async () => {
    const ico = (await publicationScheme(handle.db))[0]?.id;
    await handle.db
      .insertInto("authority")
      .values({ name: "Glenmarch Council", jurisdiction: "scotland" })
      .execute();
    const scheme = await publicationScheme(handle.db);
    expect(scheme).toHaveLength(9);
    expect(scheme[0]?.title).toBe("About the authority");
    expect(scheme[8]?.title).toBe("Our open data");
    expect(
      await problems(() =>
        saveEntry(
          handle.db,
          null,
          { classId: String(ico), title: "X", availability: "on-request" },
          manager,
          march,
        ),
      ),
    ).toMatchObject({ fields: ["classId"] });
    const id = await saveEntry(
      handle.db,
      null,
      { classId: String(scheme[3]?.id), title: "Spending over £500", availability: "on-request" },
      manager,
      march,
    );
    expect((await publicationScheme(handle.db))[3]?.entries.map((entry) => entry.id)).toEqual([id]);
  });
});
