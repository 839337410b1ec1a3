// Latency measurements through the requests module itself, and the work queue's query plan.
import {
  CompiledQuery,
  createQueryId,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from "kysely";
import type { Database } from "../../src/db/index.ts";

export interface Latency {
  iterations: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentiles, in milliseconds to 0.01. */
export function summarise(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length);
  return {
    iterations: sorted.length,
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    mean: round(mean),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

/**
 * Runs `run(i)` for `warmup` untimed then `iterations` timed calls, one at a time, stopping early when
 * `budgetMs` runs out (the result says how many ran).
 */
export async function timeCalls(
  run: (i: number) => Promise<unknown>,
  iterations: number,
  warmup: number,
  budgetMs: number,
): Promise<Latency> {
  const deadline = performance.now() + budgetMs;
  for (let i = 0; i < warmup && performance.now() < deadline; i++) await run(-1 - i);
  const samples: number[] = [];
  for (let i = 0; i < iterations && performance.now() < deadline; i++) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  return summarise(samples);
}

/**
 * `callers` calling at once, `iterations` calls in all (after a warm-up call each), within `budgetMs`: the
 * latency each call saw, and calls per second.
 */
export async function timeConcurrentCalls(
  run: (i: number) => Promise<unknown>,
  callers: number,
  iterations: number,
  budgetMs: number,
): Promise<Latency & { callers: number; perSecond: number }> {
  const deadline = performance.now() + budgetMs;
  await Promise.all(Array.from({ length: callers }, (_, caller) => run(-1 - caller)));
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < iterations && performance.now() < deadline) {
        const i = next++;
        const begin = performance.now();
        await run(i);
        samples.push(performance.now() - begin);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ...summarise(samples), callers, perSecond: Math.round((samples.length / seconds) * 10) / 10 };
}

/** Records the queries a piece of code runs through Kysely, so they can be EXPLAINed with their parameters. */
class CaptureQueries implements KyselyPlugin {
  readonly nodes: RootOperationNode[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.nodes.push(args.node);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

export async function captureQueries(
  db: Kysely<Database>,
  run: (db: Kysely<Database>) => Promise<unknown>,
): Promise<CompiledQuery[]> {
  const capture = new CaptureQueries();
  await run(db.withPlugin(capture));
  return capture.nodes.map((node) => db.getExecutor().compileQuery(node, createQueryId()));
}

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  "Actual Rows"?: number;
  "Actual Total Time"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
}

export interface PlanSummary {
  sql: string;
  topNode: string;
  usesWorkQueueIndex: boolean;
  executionMs: number;
  planningMs: number;
  sharedHitBlocks: number;
  sharedReadBlocks: number;
  /** Every node, depth-first: "Index Scan requests_work_queue_by_team_due (rows 50)". */
  nodes: string[];
}

export const WORK_QUEUE_INDEX = "requests_work_queue_by_team_due";

/** EXPLAIN (ANALYZE, BUFFERS) of a captured query, run with its own parameters, summarised. */
export async function explain(db: Kysely<Database>, query: CompiledQuery): Promise<PlanSummary> {
  const result = await db.executeQuery<{
    "QUERY PLAN": [{ Plan: PlanNode; "Planning Time": number; "Execution Time": number }];
  }>(CompiledQuery.raw(`explain (analyze, buffers, format json) ${query.sql}`, [...query.parameters]));
  const [plan] = result.rows[0]!["QUERY PLAN"];
  const nodes: string[] = [];
  let usesIndex = false;
  const walk = (node: PlanNode, depth: number) => {
    if (node["Index Name"] === WORK_QUEUE_INDEX) usesIndex = true;
    const on = node["Index Name"] ?? node["Relation Name"];
    nodes.push(
      `${"  ".repeat(depth)}${node["Node Type"]}${on ? ` ${on}` : ""} (rows ${node["Actual Rows"]}, ${node["Actual Total Time"]} ms)`,
    );
    for (const child of node.Plans ?? []) walk(child, depth + 1);
  };
  walk(plan.Plan, 0);
  return {
    sql: query.sql.replace(/\s+/g, " "),
    topNode: plan.Plan["Node Type"],
    usesWorkQueueIndex: usesIndex,
    executionMs: plan["Execution Time"],
    planningMs: plan["Planning Time"],
    sharedHitBlocks: plan.Plan["Shared Hit Blocks"] ?? 0,
    sharedReadBlocks: plan.Plan["Shared Read Blocks"] ?? 0,
    nodes,
  };
}
