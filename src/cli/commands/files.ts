import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Command } from "commander";
import { invalid } from "../../errors.ts";
import {
  cleanFile,
  FileRefused,
  type Finding,
  findingLabels,
  inspectFile,
  nameForFormat,
  type RedactionPattern,
  redactionFinder,
  redactionPatterns,
  redactPdf,
} from "../../files/index.ts";
import { type AuditedRequest, auditReleasedFiles } from "../../requests/index.ts";
import { localFolderStore } from "../../storage/index.ts";
import { withDatabase } from "../database.ts";

type InspectResult = { file: string; format: string; findings: Finding[] } | { file: string; error: string };

async function readInput(path: string, option: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw invalid(option, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** One file's findings, or why it could not be read (a corrupt, encrypted or unknown file). */
export async function inspectPath(path: string): Promise<InspectResult> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    return {
      file: path,
      error: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    };
  }
  try {
    const inspection = await inspectFile(basename(path), bytes);
    return { file: path, format: inspection.format, findings: inspection.findings };
  } catch (error) {
    if (error instanceof FileRefused) return { file: path, error: error.message };
    throw error;
  }
}

function humanReport(results: readonly InspectResult[]): string {
  return results
    .map((result) => {
      if ("error" in result) return `${result.file}: cannot be released: ${result.error}\n`;
      if (result.findings.length === 0) return `${result.file} (${result.format}): nothing hidden found\n`;
      const lines = result.findings.map(
        (finding) => `  ${findingLabels[finding.kind]} — ${finding.where}: ${finding.detail}`,
      );
      return `${result.file} (${result.format}): ${result.findings.length} finding${result.findings.length === 1 ? "" : "s"}\n${lines.join("\n")}\n`;
    })
    .join("");
}

function auditReport(requests: readonly AuditedRequest[]): string {
  const lines: string[] = [];
  for (const request of requests) {
    const flagged = request.files.filter((file) => file.error || file.findings.length > 0);
    if (flagged.length === 0) continue;
    lines.push(`${request.reference}:`);
    for (const file of flagged) {
      const where = file.published ? "sent and published" : "sent";
      if (file.error) lines.push(`  ${file.file} (${where}): cannot be inspected: ${file.error}`);
      else {
        lines.push(
          `  ${file.file} (${where}): ${file.findings.length} finding${file.findings.length === 1 ? "" : "s"}`,
        );
        for (const finding of file.findings)
          lines.push(`    ${findingLabels[finding.kind]} — ${finding.where}: ${finding.detail}`);
      }
    }
  }
  const files = requests.reduce((sum, request) => sum + request.files.length, 0);
  if (lines.length === 0) lines.push("Nothing hidden found.");
  lines.push(
    `Inspected ${files} file${files === 1 ? "" : "s"} sent on ${requests.length} request${requests.length === 1 ? "" : "s"}.`,
  );
  return `${lines.join("\n")}\n`;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `foidesk files inspect|clean|redact`: the release-safety engine the app uses, on files on disk. */
export function registerFiles(program: Command): void {
  const files = program
    .command("files")
    .description("inspect files for hidden data, make clean copies, truly redact PDFs");
  files
    .command("audit")
    .description(
      "breach triage: inspect every file already sent or published, findings per request (exits 1 if any)",
    )
    .option("--json", "print the requests and their files as JSON")
    .action(async (options: { json?: boolean }) => {
      const dataDir = process.env.FOIDESK_DATA_DIR ?? "data";
      const store = localFolderStore(process.env.FOIDESK_FILES_DIR || join(dataDir, "files"));
      const requests = await withDatabase((handle) => auditReleasedFiles(handle.db, store));
      process.stdout.write(options.json ? `${JSON.stringify(requests)}\n` : auditReport(requests));
      if (requests.some((request) => request.files.some((file) => file.error || file.findings.length > 0)))
        process.exitCode = 1;
    });
  files
    .command("inspect")
    .description(
      "list the hidden data in each file (hidden sheets, tracked changes, fake redactions, metadata …)",
    )
    .argument("<file...>", "the files to inspect")
    .option(
      "--json",
      'print a JSON array: {"file", "format", "findings": [{"kind", "where", "detail"}]} or {"file", "error"}',
    )
    .action(async (paths: string[], options: { json?: boolean }) => {
      const results: InspectResult[] = [];
      for (const path of paths) results.push(await inspectPath(path));
      process.stdout.write(options.json ? `${JSON.stringify(results)}\n` : humanReport(results));
      if (results.some((result) => "error" in result)) process.exitCode = 1;
    });
  files
    .command("clean")
    .description(
      "write a clean copy: visible cells or text only, PDFs rewritten whole with fake redactions made true",
    )
    .argument("<file>", "the file to clean")
    .requiredOption("--out <file>", "where to write the clean copy")
    .option("--reject-changes", "reject tracked changes (default: accept them)")
    .action(async (path: string, options: { out: string; rejectChanges?: boolean }) => {
      const bytes = await readInput(path, "FILE");
      try {
        const copy = await cleanFile(basename(path), bytes, {
          trackedChanges: options.rejectChanges ? "reject" : "accept",
        });
        // The name says the copy's format: a macro-free copy of a .xlsm is written as .xlsx, not as .xlsm.
        const out = nameForFormat(options.out, copy.format);
        await writeFile(out, copy.bytes);
        process.stdout.write(
          `${out}: clean ${copy.format} copy of ${path}, ${copy.summary}${out === options.out ? "" : ` (named for its format instead of ${options.out})`}\n`,
        );
      } catch (error) {
        if (!(error instanceof FileRefused)) throw error;
        process.stderr.write(`foidesk: ${path} cannot be cleaned: ${error.message}\n`);
        process.exitCode = 1;
      }
    });
  files
    .command("redact")
    .description(
      "truly redact a PDF: the text, images and lines under each match are removed, and the box labelled",
    )
    .argument("<file>", "the PDF to redact")
    .option("--text <phrase>", "a phrase to remove wherever it appears (repeatable)", collect, [])
    .option("--pattern <name>", `remove every ${redactionPatterns.join(", ")} (repeatable)`, collect, [])
    .option("--label <text>", 'written in each box, e.g. the exemption "s.40(2)"')
    .requiredOption("--out <file>", "where to write the redacted PDF")
    .action(
      async (path: string, options: { text: string[]; pattern: string[]; label?: string; out: string }) => {
        const unknown = options.pattern.find(
          (name) => !(redactionPatterns as readonly string[]).includes(name),
        );
        if (unknown)
          throw invalid("--pattern", `unknown pattern "${unknown}": use ${redactionPatterns.join(", ")}`);
        if (options.text.length === 0 && options.pattern.length === 0)
          throw invalid("--text", "give at least one --text phrase or --pattern to redact");
        const bytes = await readInput(path, "FILE");
        try {
          const result = await redactPdf(bytes, {
            find: redactionFinder(options.text, options.pattern as RedactionPattern[]),
            ...(options.label ? { label: options.label } : {}),
          });
          await writeFile(options.out, result.bytes);
          const pages = new Set(result.redacted.map((area) => area.page)).size;
          process.stdout.write(
            `${options.out}: ${result.redacted.length} area${result.redacted.length === 1 ? "" : "s"} removed on ${pages} page${pages === 1 ? "" : "s"}\n`,
          );
        } catch (error) {
          if (!(error instanceof FileRefused)) throw error;
          process.stderr.write(`foidesk: ${path} cannot be redacted: ${error.message}\n`);
          process.exitCode = 1;
        }
      },
    );
}
