import { writeFileSync } from "node:fs";
import { sql } from "kysely";
import { openDatabase } from "../src/db/index.ts";
import { seal } from "../src/sealed.ts";
import { memoryFileStore } from "../src/storage/index.ts";
import { enterSecondFactor, hashPassword, signIn, totpCode } from "../src/users/index.ts";
import { newTotpSecret } from "../src/users/totp.ts";
import { buildApp } from "../src/web/index.ts";

const url = "postgres://postgres@127.0.0.1:5432/foidesk_bench";
const handle = await openDatabase({ kind: "postgres", url });
const now = new Date(
  (
    JSON.parse(await import("node:fs").then((f) => f.readFileSync("/tmp/cw2.json", "utf8"))) as {
      asOf: string;
    }
  ).asOf,
);
const password = "x-bench-pass-123456";
const totpSecret = newTotpSecret();
await sql`insert into users (username, display_name, role, password_hash, totp_secret, totp_enabled_at) values ('bench.page', 'Bench Manager', 'manager', ${await hashPassword(password)}, ${seal(totpSecret, "totp-secret")}, now())
  on conflict ((lower(username))) do update set password_hash = excluded.password_hash, totp_secret = excluded.totp_secret, totp_last_step = null`.execute(
  handle.db,
);
const step = await signIn(handle.db, { username: "bench.page", password, ip: "127.0.0.1" }, now);
const session = await enterSecondFactor(
  handle.db,
  { token: step.token, code: totpCode(totpSecret, now), ip: "127.0.0.1" },
  now,
);
const app = buildApp({
  db: handle.db,
  files: memoryFileStore(),
  config: { baseUrl: "http://127.0.0.1" },
  now: () => now,
  logger: false,
});
const res = await app.inject({
  url: "/staff/requests?view=team-1",
  headers: { cookie: `foidesk_session=${session.token}`, "accept-encoding": "gzip" },
});
console.log(res.statusCode, res.headers["content-encoding"], res.body.length, res.rawPayload.length);
writeFileSync("/tmp/wq/queue.html", res.body);
const n = 1000;
const t0 = performance.now();
const c0 = process.cpuUsage();
for (let i = 0; i < n; i++)
  await app.inject({
    url: "/staff/requests?view=team-1",
    headers: { cookie: `foidesk_session=${session.token}` },
  });
const c = process.cpuUsage(c0);
console.log("ms/page wall", (performance.now() - t0) / n, "cpu", (c.user + c.system) / 1000 / n);
await app.close();
await handle.close();
