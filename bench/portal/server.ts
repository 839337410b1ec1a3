// A child process of bench/portal.ts: the web app on the bench database (PostgreSQL or PGlite), with an
// authority, a member of staff and an API token for the integration, listening on an ephemeral 127.0.0.1
// port. Prints one JSON line ({ address, token }); on SIGTERM finishes the requests in progress and exits.
import { type DatabaseConfig, migrateToLatest, openDatabase } from "../../src/db/index.ts";
import { outboxTransport } from "../../src/mail/index.ts";
import { memoryFileStore } from "../../src/storage/index.ts";
import { createApiToken, createUser } from "../../src/users/index.ts";
import { buildApp } from "../../src/web/index.ts";

const { database, outbox } = JSON.parse(process.argv[2] ?? "{}") as {
  database: DatabaseConfig;
  outbox: string;
};
const handle = await openDatabase(database);
await migrateToLatest(handle.db);
await handle.db
  .insertInto("authority")
  .values({ name: "Westmarch Constabulary", email: "foi@westmarch.police.example" })
  .execute();
await createUser(
  handle.db,
  {
    username: "partner.site",
    name: "Partner website",
    role: "officer",
    password: `bench-${Math.random().toString(36).slice(2)}-password`,
  },
  { userId: null, label: "bench" },
  new Date(),
);
const { token } = await createApiToken(
  handle.db,
  { username: "partner.site", name: "portal bench" },
  new Date(),
);
const app = buildApp({
  db: handle.db,
  files: memoryFileStore(),
  config: { baseUrl: "http://127.0.0.1" },
  logger: false,
  mail: { transport: outboxTransport(outbox) },
});
const address = await app.listen({ host: "127.0.0.1", port: 0 });
process.stdout.write(`${JSON.stringify({ address, token })}\n`);
const stop = async () => {
  await app.close();
  await handle.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
