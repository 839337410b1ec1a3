// `npm run security-scan`: the independent scan an authority's IT security team runs before go-live, on this
// machine. Starts the app on 127.0.0.1 (a free port, demo data, a temporary data folder), signs in so that the
// staff forms are reached, runs sqlmap and wapiti (Debian: `apt-get install -y sqlmap wapiti`) against the
// public and staff forms, each within a time limit, and prints a summary. Exit 0: nothing found; 1: findings.
// Not part of `npm test` (minutes long, and needs the two scanners).

import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../src/cli/commands/serve.ts";
import { DEMO_PASSWORD } from "../src/demo/index.ts";

const minutes = Number(process.env.SCAN_MINUTES ?? "3");
const limitSeconds = Math.max(30, Math.round(minutes * 60));

interface ToolRun {
  name: string;
  findings: string[];
  notes: string[];
}

function need(tool: string): void {
  if (spawnSync("which", [tool]).status !== 0) {
    process.stderr.write(`${tool} is not installed: apt-get install -y sqlmap wapiti\n`);
    process.exit(2);
  }
}

/**
 * Runs a scanner with a time limit (`interrupt`: Ctrl-C at the limit; otherwise the scanner keeps its own
 * limit and is killed 5 minutes past it); its output is kept in the report folder, not printed.
 */
function run(
  command: string,
  args: string[],
  seconds: number,
  logFile: string,
  interrupt = true,
): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => interrupt && child.kill("SIGINT"), seconds * 1000);
    const hard = setTimeout(() => child.kill("SIGKILL"), (seconds + 300) * 1000);
    child.on("close", async () => {
      clearTimeout(timer);
      clearTimeout(hard);
      await writeFile(logFile, output);
      resolve(output);
    });
  });
}

/** Signs in as the demo officer the way a browser does; the session cookie for the scanners. */
async function signIn(origin: string): Promise<string> {
  const page = await fetch(`${origin}/staff/sign-in`);
  const formCookie = (page.headers.getSetCookie()[0] ?? "").split(";")[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
  const response = await fetch(`${origin}/staff/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: formCookie, "content-type": "application/x-www-form-urlencoded", origin },
    body: new URLSearchParams({ _csrf: csrf, username: "officer", password: DEMO_PASSWORD }).toString(),
  });
  const session = response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0]!)
    .find((cookie) => cookie.startsWith("foidesk_session="));
  if (!session) throw new Error(`signing in as the demo officer failed (${response.status})`);
  return session;
}

async function sqlmap(label: string, urls: string[], folder: string, cookie?: string): Promise<ToolRun> {
  const targets = join(folder, `sqlmap-${label}-targets.txt`);
  await writeFile(targets, `${urls.join("\n")}\n`);
  const output = await run(
    "sqlmap",
    [
      "-m",
      targets,
      "--forms",
      "--crawl=1",
      "--crawl-exclude=sign-out|\\.(css|js|png|woff2?|ico)$",
      "--batch",
      "--level=2",
      "--risk=1",
      "--timeout=15",
      "--smart",
      `--output-dir=${join(folder, "sqlmap")}`,
      // With the session, each form's CSRF token is read again before each try (sqlmap allows no threads then).
      ...(cookie ? [`--cookie=${cookie}`, "--csrf-token=_csrf", "--drop-set-cookie"] : ["--threads=2"]),
    ],
    limitSeconds,
    join(folder, `sqlmap-${label}.log`),
  );
  const findings = output
    .split("\n")
    // An injection point, or a 500 the attack provoked (the app should refuse bad input with a 4xx).
    .filter((line) =>
      /identified the following injection point|is vulnerable|appears to be .*injectable|500 \(Internal Server Error\)/i.test(
        line,
      ),
    )
    .map((line) => line.trim());
  const tested = new Set(output.match(/testing if (GET|POST) parameter '[^']+'/g) ?? []).size;
  const forms = new Set(
    [...output.matchAll(/^(POST|GET) (http\S+)$/gm)].map((match) => `${match[1]} ${match[2]}`),
  );
  return {
    name: `sqlmap (${label})`,
    findings,
    notes: [
      `${forms.size} forms found, ${tested} distinct parameters tested`,
      ...[...forms].slice(0, 30).map((form) => `  ${form}`),
    ],
  };
}

async function wapiti(origin: string, folder: string, cookie: string): Promise<ToolRun> {
  const report = join(folder, "wapiti.json");
  const output = await run(
    "wapiti",
    [
      "-u",
      `${origin}/`,
      "--scope",
      "folder",
      "-m",
      // Time-based blind SQL is left to sqlmap (wapiti's overruns its time limit); ssrf needs wapiti's server.
      "sql,xss,permanentxss,exec,file,redirect,crlf",
      "-H",
      `Cookie: ${cookie}`,
      // No -x for the sign-out form: wapiti 3.0.4's exclusion fails on Python 3.11 (wildcard_translate).
      "-d",
      "3",
      "--max-scan-time",
      String(limitSeconds),
      "--max-attack-time",
      String(Math.max(10, Math.round(limitSeconds / 10))),
      "--flush-session",
      "-f",
      "json",
      "-o",
      report,
    ],
    limitSeconds,
    join(folder, "wapiti.log"),
    // Interrupted, wapiti asks on the terminal what to do and writes no report: it stops at --max-scan-time.
    false,
  );
  const parsed = JSON.parse(await readFile(report, "utf8").catch(() => "{}")) as {
    vulnerabilities?: Record<string, { method: string; path: string; info: string; parameter?: string }[]>;
    anomalies?: Record<string, { method: string; path: string; info: string }[]>;
  };
  if (!parsed.vulnerabilities) return { name: "wapiti", findings: ["wapiti wrote no report"], notes: [] };
  const listed = (group: typeof parsed.anomalies) =>
    Object.entries(group ?? {}).flatMap(([kind, items]) =>
      items.map((item) => `${kind}: ${item.method} ${item.path} — ${item.info}`),
    );
  return {
    name: "wapiti",
    // An anomaly is a 500 or a timeout the attack provoked: an answer the app should not give.
    findings: [...listed(parsed.vulnerabilities), ...listed(parsed.anomalies)],
    notes: [`${/found (\d+) URLs and forms/.exec(output)?.[1] ?? "?"} URLs and forms crawled and attacked`],
  };
}

need("sqlmap");
need("wapiti");
// The app's request log would bury the summary: warnings and errors only.
process.env.LOG_LEVEL ??= "warn";
const dataDir = await mkdtemp(join(tmpdir(), "foidesk-scan-data-"));
const reportDir = await mkdtemp(join(tmpdir(), "foidesk-scan-report-"));
const server = await startServer(
  { port: 0, host: "127.0.0.1", demo: true },
  { ...process.env, FOIDESK_DATA_DIR: dataDir, PUBLISH_DUE_EVERY_MINUTES: "0", LOG_LEVEL: "warn" },
);
const { port } = server.app.server.address() as AddressInfo;
const origin = `http://127.0.0.1:${port}`;
process.stdout.write(
  `Scanning ${origin}; each scanner stops after ${limitSeconds} s; reports in ${reportDir}.\n`,
);
let runs: ToolRun[] = [];
try {
  const cookie = await signIn(origin);
  runs = [
    await sqlmap(
      "public",
      ["/", "/disclosure-log", "/request", "/feedback", "/cookies", "/track/not-a-token"].map(
        (path) => origin + path,
      ),
      reportDir,
    ),
    await sqlmap(
      "staff",
      [
        "/staff/requests",
        "/staff/requests/new",
        "/staff/requests/1/actions/add-note",
        "/staff/requests/1",
      ].map((path) => origin + path),
      reportDir,
      cookie,
    ),
    await wapiti(origin, reportDir, await signIn(origin)),
  ];
} finally {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
process.stdout.write("\nSecurity scan summary\n");
for (const tool of runs) {
  process.stdout.write(
    `\n${tool.name}: ${tool.findings.length ? `${tool.findings.length} FINDINGS` : "nothing found"}\n`,
  );
  for (const line of tool.notes) process.stdout.write(`  ${line}\n`);
  for (const line of tool.findings) process.stdout.write(`  ! ${line}\n`);
}
const total = runs.reduce((sum, tool) => sum + tool.findings.length, 0);
process.stdout.write(
  `\n${total ? `${total} findings` : "Nothing found"}; the scanners' logs and reports are in ${reportDir}.\n`,
);
process.exit(total ? 1 : 0);
