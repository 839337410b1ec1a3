import { seededRandom } from "../../random.ts";
import { type Dataset, datasetFromRows } from "../dataset.ts";
import { parseReleasePolicy, type ReleasePolicy } from "../policy.ts";

// The worked example end to end (issue 7): a fictional force's gangs matrix — one record per known group, with
// its borough, the age band of most of its members, its main category and whether any member is under 18.
// Asked "how many gangs in each borough, and how many with under-18s?", the force refuses the borough
// breakdown under FOIA s.31(1)(a) and (b) (the policy's reason text goes into the refusal notice) and, as
// advice and assistance, releases the force-wide table by age band and category with small cells suppressed.
// The reply itself is src/responses/examples/gangs.ts. All data is synthetic.

export const gangBoroughs = [
  "Ashford Vale",
  "Brindley",
  "Castlegate",
  "Dunmore",
  "Eastwick",
  "Fairholme",
  "Greyfriars",
  "Harrowdene",
  "Ivybridge",
  "Kingsmead",
];
export const gangAgeBands = ["14-17", "18-24", "25-34", "35+"];
export const gangCategories = ["drug supply", "violence", "robbery", "exploitation"];

/** 62 groups, 27 of them with a member under 18 (the figures the reply discloses force-wide). */
export function gangRecords(seed = 2026): Record<string, string>[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[], skew = 1): T => list[Math.floor(random() ** skew * list.length)] as T;
  const records: Record<string, string>[] = [];
  for (let index = 0; index < 62; index++) {
    const under18 = index < 27;
    records.push({
      group: `G${String(index + 1).padStart(3, "0")}`,
      borough: pick(gangBoroughs, 1.4),
      age_band: under18 ? pick(["14-17", "14-17", "18-24"]) : pick(gangAgeBands.slice(1), 1.3),
      category: pick(gangCategories, 1.6),
      under_18: under18 ? "yes" : "no",
    });
  }
  return records;
}

export function gangsDataset(seed = 2026): Dataset {
  return datasetFromRows(gangRecords(seed), { dimensions: ["borough", "age_band", "category", "under_18"] });
}

/** The force's release policy for the gangs matrix. */
/** The public-interest test the force weighed once for borough-level figures, stated in its policy. */
const gangsPublicInterest = {
  favouringDisclosure: [
    "There is a public interest in knowing how the force understands gang activity in London and how it targets its resources.",
  ],
  favouringWithholding: [
    "There is a strong public interest in not undermining the prevention and detection of crime, or putting people at risk of reprisal.",
  ],
  balance:
    "The force publishes force-wide figures each quarter, which meet much of the interest in openness. Borough figures would add little to them and would help those involved in gang crime: the balance lies in withholding them.",
};

export const gangsPolicy: ReleasePolicy = parseReleasePolicy({
  dataset: "gangs-matrix",
  dimensions: ["borough", "age_band", "category", "under_18"],
  restricted: [
    {
      dimensions: ["borough"],
      exemptions: ["foia-31-1-a", "foia-31-1-b"],
      reason:
        "Figures for each borough would show where the force's intelligence about gangs is concentrated and where it is thin, which would be likely to prejudice the prevention or detection of crime and the apprehension or prosecution of offenders.",
      harm: {
        interest: "the prevention or detection of crime and the apprehension or prosecution of offenders",
        likelihood: "would-be-likely-to",
      },
      publicInterest: gangsPublicInterest,
    },
  ],
  // Counts of 1 to 4 are suppressed (the force's threshold); zeros are published.
  threshold: 4,
  zeros: "show",
  unreleasable: {
    exemptions: ["foia-31-1-a", "foia-31-1-b"],
    reason:
      "Released alongside the force's earlier figures, this table would reveal a small number of groups.",
    harm: {
      interest: "the prevention or detection of crime and the apprehension or prosecution of offenders",
      likelihood: "would-be-likely-to",
    },
    publicInterest: gangsPublicInterest,
  },
});
