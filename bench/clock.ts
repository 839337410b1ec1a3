// `npm run bench -- clock [--inputs N] [--seed S] [--check N|all]`, or `node bench/clock.ts …`.
// Due dates per second through computeDeadline (precomputed working-day tables) against the day-by-day
// reference (referenceDeadline) on the same random (regime, date, events) inputs, which must agree on every
// input checked. Prints one JSON object. The reference is slow, so by default it runs on a sample of
// 100,000 inputs spread through the whole set; `--check all` runs it on every input.
import { dayFromCivil, formatIsoDate } from "../src/calendar/index.ts";
import {
  type ClockEvent,
  type ClockSettings,
  computeDeadline,
  type Deadline,
  type DeadlineInput,
  referenceDeadline,
  regimeRule,
  regimes,
} from "../src/law/index.ts";
import { seededRandom } from "../src/random.ts";

interface Case {
  input: DeadlineInput;
  settings: ClockSettings;
}

function generate(count: number, seed: number): Case[] {
  const random = seededRandom(seed);
  const integer = (max: number) => Math.floor(random() * (max + 1));
  const first = dayFromCivil(1990, 1, 1);
  const last = dayFromCivil(2099, 12, 31);
  const ico: ClockSettings = { receiptReading: "ico" };
  const code2018: ClockSettings = { receiptReading: "code-2018" };
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    const regime = regimes[integer(regimes.length - 1)] ?? "foia";
    const rule = regimeRule(regime);
    const received = first + integer(last - first);
    let latest = received;
    const events: ClockEvent[] = [];
    if (random() < 0.3) {
      const requested = received + integer(30);
      const arrived = random() < 0.7 ? requested + integer(40) : undefined;
      latest = Math.max(latest, arrived ?? requested);
      events.push({
        kind: "clarification",
        requested: formatIsoDate(requested),
        received: arrived === undefined ? undefined : formatIsoDate(arrived),
      });
    }
    if (rule?.fee !== "none" && random() < 0.2) {
      const requested = received + integer(30);
      const paid = random() < 0.7 ? requested + integer(60) : undefined;
      latest = Math.max(latest, paid ?? requested);
      events.push({
        kind: "fee",
        requested: formatIsoDate(requested),
        paid: paid === undefined ? undefined : formatIsoDate(paid),
      });
    }
    if (rule?.extension && random() < 0.2) {
      const workingDays = rule.unit === "working" && random() < 0.5 ? 1 + integer(19) : undefined;
      events.push({ kind: "extension", type: rule.extension.type, workingDays });
    }
    const asOf = random() < 0.7 ? formatIsoDate(latest + integer(120)) : undefined;
    cases.push({
      input: { regime, received: formatIsoDate(received), events, asOf },
      settings: random() < 0.8 ? ico : code2018,
    });
  }
  return cases;
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

function sameDeadline(a: Deadline, b: Deadline): boolean {
  return (
    a.dueDate === b.dueDate &&
    a.refusalNoticeDue === b.refusalNoticeDue &&
    a.asOf === b.asOf &&
    a.daysAllowed === b.daysAllowed &&
    a.daysUsed === b.daysUsed &&
    a.daysLeft === b.daysLeft &&
    a.stopped === b.stopped &&
    a.overdue === b.overdue &&
    a.unit === b.unit
  );
}

export async function main(args: string[]): Promise<void> {
  const inputs = Number(option(args, "--inputs") ?? 1_000_000);
  const seed = Number(option(args, "--seed") ?? 20221201);
  const checkOption = option(args, "--check") ?? "100000";
  const checked = checkOption === "all" ? inputs : Math.min(inputs, Number(checkOption));
  if (!(Number.isInteger(inputs) && inputs > 0 && Number.isInteger(checked) && checked > 0)) {
    throw new Error("usage: clock [--inputs N] [--seed S] [--check N|all]");
  }
  const cases = generate(inputs, seed);
  const step = inputs / checked;

  // Warm up both (builds the calendars and lets the JIT settle) before timing.
  for (let i = 0; i < Math.min(inputs, 20_000); i++) {
    const { input, settings } = cases[i] as Case;
    computeDeadline(input, settings);
    if (i < 1000) referenceDeadline(input, settings);
  }

  // Timed pass: throughput only, nothing retained (keeping a million results would time the GC instead).
  let checksum = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < inputs; i++) {
    const { input, settings } = cases[i] as Case;
    checksum += computeDeadline(input, settings).daysLeft;
  }
  const optimisedSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  // Checking pass: the reference (timed) against computeDeadline on every `step`th input.
  let mismatches = 0;
  let count = 0;
  let firstMismatch: unknown;
  let naiveNanoseconds = 0n;
  for (let position = 0; position < inputs; position += step) {
    const { input, settings } = cases[Math.floor(position)] as Case;
    const naiveStarted = process.hrtime.bigint();
    const naive = referenceDeadline(input, settings);
    naiveNanoseconds += process.hrtime.bigint() - naiveStarted;
    const optimised = computeDeadline(input, settings);
    count++;
    if (!sameDeadline(naive, optimised)) {
      mismatches++;
      firstMismatch ??= { input, settings, optimised, naive };
    }
  }
  const naiveSeconds = Number(naiveNanoseconds) / 1e9;

  const optimisedPerSecond = Math.round(inputs / optimisedSeconds);
  const naivePerSecond = Math.round(count / naiveSeconds);
  const result: Record<string, unknown> = {
    inputs,
    optimisedPerSecond,
    naivePerSecond,
    ratio: Math.round((optimisedPerSecond / naivePerSecond) * 10) / 10,
    mismatches,
    checked: count,
    seed,
    node: process.version,
    checksum,
  };
  if (firstMismatch) result.firstMismatch = firstMismatch;
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (import.meta.main) await main(process.argv.slice(2));
