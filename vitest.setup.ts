import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "./src/db/connection.ts";
import { migrateToLatest } from "./src/db/migrate.ts";
import { DEFAULT_TEST_POSTGRES_URL, postgresAnswers } from "./src/db/testing.ts";

// Once per test run: a migrated PGlite data directory that each test file loads (seconds saved per file),
// and a look for the PostgreSQL server the suite runs against as well whenever one answers.
export default async function setup(): Promise<() => Promise<void>> {
  const folder = await mkdtemp(join(tmpdir(), "foidesk-test-"));
  const handle = await openDatabase({ kind: "pglite" });
  await migrateToLatest(handle.db);
  const dump = await handle.pglite!.dumpDataDir("none");
  const template = join(folder, "template.tar");
  await writeFile(template, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  process.env.FOIDESK_TEST_PGLITE_TEMPLATE = template;

  const url = process.env.FOIDESK_TEST_DATABASE_URL ?? DEFAULT_TEST_POSTGRES_URL;
  if (url === "off") console.warn("FOIDESK_TEST_DATABASE_URL=off: running on PGlite only");
  else if (await postgresAnswers(url)) process.env.FOIDESK_TEST_POSTGRES_URL = url;
  else console.warn(`PostgreSQL did not answer at ${url}: running on PGlite only`);

  return async () => {
    await rm(folder, { recursive: true, force: true });
  };
}
