import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { type Actor, assignedOpenRequestOnTopic } from "../requests/index.ts";
import { gangsDataset, gangsPolicy } from "../statistics/index.ts";
import { storeDataset } from "./import.ts";
import { releaseTable } from "./releases.ts";

// The demo's statistics: the worked example's gangs matrix and its release policy (the borough breakdown
// refused under FOIA s.31(1)(a)(b), counts of 1 to 4 withheld), and the force-wide table by age band and
// category released for the demo's gangs request, so that its draft reply links to the table as advice and
// assistance and /statistics has a table to show. All synthetic.

export const demoDatasetLabels: Record<string, string> = {
  borough: "Borough",
  age_band: "Age band",
  category: "Category",
  under_18: "Any member under 18",
};

export async function seedDemoStatistics(
  db: Kysely<Database>,
  now: Date,
  options: { baseUrl: string; manager: Actor },
): Promise<{ datasetId: number; releaseId: number | null }> {
  const datasetId = await storeDataset(
    db,
    {
      title: "Known gangs",
      description:
        "The force's gangs matrix: one record per known group, with its borough, the age band of most of its members, its main category and whether any member is under 18. Synthetic data for the demonstration.",
      dataset: gangsDataset(),
      policy: gangsPolicy,
      labels: demoDatasetLabels,
    },
    options.manager,
    now,
  );
  const gangs = await assignedOpenRequestOnTopic(db, "Gangs");
  if (!gangs) return { datasetId, releaseId: null };
  const officer: Actor = { userId: gangs.userId, label: gangs.display_name, role: gangs.role };
  const released = await releaseTable(
    db,
    datasetId,
    { dimensions: ["age_band", "category"], requestId: gangs.id },
    officer,
    now,
    { baseUrl: options.baseUrl },
  );
  return { datasetId, releaseId: released.releaseId };
}
