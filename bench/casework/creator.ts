// A child process of bench/casework.ts: `creators` concurrent loops calling createRequest on a pool of its
// own, until `total` requests are made. Says "ready" once its pool is open, starts on "go" (so the processes
// start together), prints one JSON line and exits.
import { once } from "node:events";
import { dayFromCivil, formatIsoDate } from "../../src/calendar/index.ts";
import { openDatabase } from "../../src/db/index.ts";
import { type Actor, createRequest } from "../../src/requests/index.ts";

export interface CreatorConfig {
  url: string;
  pool: number;
  creators: number;
  total: number;
  regime: "foia" | "eir" | "foisa" | "sar";
  year: number;
  process: number;
  actor: Actor;
}

export interface CreatorReport {
  process: number;
  created: number;
  errors: number;
  firstError: string | null;
  seconds: number;
}

const config = JSON.parse(process.argv[2] ?? "{}") as CreatorConfig;
const handle = await openDatabase({ kind: "postgres", url: config.url, poolSize: config.pool });
// Open every connection now, so connecting is not timed.
await Promise.all(
  Array.from({ length: config.pool }, () => handle.db.selectFrom("teams").select("id").limit(1).execute()),
);
process.stdout.write("ready\n");
await once(process.stdin, "data");

const first = dayFromCivil(config.year, 1, 4);
let next = 0;
let created = 0;
let errors = 0;
let firstError: string | null = null;
const started = performance.now();
async function creator(): Promise<void> {
  while (next < config.total) {
    const k = next++;
    try {
      await createRequest(
        handle.db,
        {
          regime: config.regime,
          channel: "email",
          receivedDate: formatIsoDate(first + (k % 360)),
          body: "Please send me a copy of the personal data you hold about me.",
          // A few requesters asking repeatedly, as in life; no team, so no team's queue sees them.
          requester: {
            name: `Reference Bench ${k % 20}`,
            email: `subject${k % 20}@refbench.example`,
            type: "public",
          },
        },
        config.actor,
        new Date(),
      );
      created++;
    } catch (error) {
      errors++;
      firstError ??= error instanceof Error ? error.message : String(error);
    }
  }
}
await Promise.all(Array.from({ length: config.creators }, creator));
const report: CreatorReport = {
  process: config.process,
  created,
  errors,
  firstError,
  seconds: Math.round(performance.now() - started) / 1000,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
await handle.close();
process.exit(0);
