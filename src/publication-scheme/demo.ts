import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { type SchemeEditor, saveEntry } from "./service.ts";

// The demo's guide to information for Westmarch Constabulary: entries in several of the model scheme's
// classes, following the ICO's definition document for police forces (annual report, spending over £500,
// chief officers' expenses, the disclosure log under lists and registers, a released statistics table).
// The annual report was last reviewed 13 months ago, so the back office shows it as due for review. All
// addresses are synthetic (.example).

const site = "https://www.westmarch.police.example";

export async function seedDemoPublicationScheme(
  db: Kysely<Database>,
  now: Date,
  options: { manager: SchemeEditor; releaseId: number | null },
): Promise<number> {
  const classId = async (position: number) => {
    const row = await db
      .selectFrom("publication_scheme_classes")
      .select("id")
      .where("scheme", "=", "ico") // Westmarch is in England: the ICO's model scheme (FOIA s.19-20)
      .where("position", "=", position)
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const yearAgo = new Date(now.getTime() - 400 * 24 * 60 * 60 * 1000);
  const entries: Array<{ at: Date; entry: Parameters<typeof saveEntry>[2] }> = [
    {
      at: yearAgo,
      entry: {
        classId: await classId(1),
        title: "Annual report of the Chief Constable",
        description: "The force's structure, its senior officers and what it did in the year.",
        availability: "web",
        url: `${site}/about/annual-report`,
      },
    },
    {
      at: now,
      entry: {
        classId: await classId(1),
        title: "Police stations and their opening hours",
        availability: "web",
        url: `${site}/contact/stations`,
      },
    },
    {
      at: now,
      entry: {
        classId: await classId(2),
        title: "Spending over £500",
        description: "Every payment of £500 or more, published monthly.",
        availability: "web",
        url: `${site}/about/spending-over-500`,
      },
    },
    {
      at: now,
      entry: {
        classId: await classId(2),
        title: "Chief officers' pay, allowances and expenses",
        description:
          "Salaries, allowances and expense claims of the chief officer team, published quarterly.",
        availability: "web",
        url: `${site}/about/chief-officer-expenses`,
      },
    },
    {
      at: now,
      entry: {
        classId: await classId(2),
        title: "Contracts register (printed copy)",
        description:
          "Contracts awarded over £25,000. Write to the Information Rights Unit or email foi@westmarch.police.example.",
        availability: "on-request",
        charge: "Free; photocopies of more than 20 pages at 10p a page",
      },
    },
    {
      at: now,
      entry: {
        classId: await classId(3),
        title: "Police and Crime Plan",
        availability: "web",
        url: `${site}/about/police-and-crime-plan`,
      },
    },
    {
      at: now,
      entry: {
        classId: await classId(6),
        title: "Disclosure log of replies to Freedom of Information requests",
        description: "Our replies to requests, with personal data removed.",
        availability: "disclosure-log",
        url: "/disclosure-log",
      },
    },
    ...(options.releaseId === null
      ? []
      : [
          {
            at: now,
            entry: {
              classId: await classId(3),
              title: "Known gangs by age band and category",
              description: "A table from the force's gangs matrix, with small numbers withheld.",
              availability: "statistics",
              releaseId: options.releaseId,
            },
          },
        ]),
    {
      at: now,
      entry: {
        classId: await classId(7),
        title: "Reporting a crime online",
        availability: "web",
        url: `${site}/report`,
      },
    },
  ];
  for (const { at, entry } of entries) await saveEntry(db, null, entry, options.manager, at);
  return entries.length;
}
