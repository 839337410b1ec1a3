import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it, vi } from "vitest";
import { migrateToLatest, openDatabase } from "../../db/index.ts";
import { excelWorkbook, hiddenDataPdf, wordDocument } from "../../files/testing.ts";
import { addDocument, createRequest } from "../../requests/index.ts";
import { localFolderStore } from "../../storage/index.ts";
import { runCli } from "../testing.ts";

const folder = mkdtempSync(join(tmpdir(), "foidesk-files-cli-"));
const write = (name: string, bytes: Uint8Array | string) => {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return path;
};

describe("foidesk files", () => {
  it("inspect --json prints one object per file, an error for a file it cannot read, and exits non-zero then", async () => {
    const workbook = write("pay.xlsx", excelWorkbook());
    const plain = write("plain.csv", "name,amount\nA,1\n");
    const broken = write("broken.pdf", "%PDF-1.7\nnot really a pdf");
    const { code, stdout } = await runCli(["files", "inspect", workbook, plain, broken, "--json"]);
    const results = JSON.parse(stdout);
    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({ file: workbook, format: "xlsx" });
    expect(results[0].findings).toContainEqual({
      kind: "hidden-sheet",
      where: "sheet StaffList",
      detail: "2 cells: PLANT_HIDDENSHEET, 7",
    });
    expect(results[1]).toEqual({ file: plain, format: "csv", findings: [] });
    expect(results[2]).toEqual({ file: broken, error: expect.stringMatching(/damaged|cannot be read/) });
    expect(code).not.toBe(0);
    const clean = await runCli(["files", "inspect", plain, "--json"]);
    expect(clean.code).toBe(0);
  });

  it("clean --out writes the clean copy; a file it cannot clean exits non-zero with the reason", async () => {
    const letter = write("letter.docx", wordDocument());
    const out = join(folder, "letter-clean.docx");
    const { code, stdout } = await runCli(["files", "clean", letter, "--out", out, "--reject-changes"]);
    expect(code).toBe(0);
    expect(stdout).toContain("tracked changes rejected");
    const parts = Object.values(unzipSync(new Uint8Array(readFileSync(out))))
      .map((part) => strFromU8(part))
      .join("\n");
    expect(parts).not.toMatch(/PLANT_(AUTHOR|VANISH|WHITE|COMMENT|HIDDENSHEET)/);
    expect(parts).toContain("Visible start PLANT_DELETED visible end");
    // A macro-enabled workbook's copy has no macros: it is written as .xlsx whatever --out said.
    const macros = write("pay.xlsm", excelWorkbook({ macro: true }));
    const renamed = await runCli(["files", "clean", macros, "--out", join(folder, "pay-clean.xlsm")]);
    expect(renamed.code).toBe(0);
    expect(renamed.stdout).toContain(`${join(folder, "pay-clean.xlsx")}: clean xlsx copy`);
    expect(Object.keys(unzipSync(new Uint8Array(readFileSync(join(folder, "pay-clean.xlsx")))))).toContain(
      "xl/workbook.xml",
    );
    const unknown = write("notes.heic", "ftypheic");
    const refused = await runCli(["files", "clean", unknown, "--out", join(folder, "x.heic")]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/cannot be released until it is converted/);
  });

  it("redact removes phrases and patterns from a PDF and labels the boxes", async () => {
    const pdf = write("reply.pdf", await hiddenDataPdf());
    const out = join(folder, "reply-redacted.pdf");
    const { code, stdout } = await runCli([
      "files",
      "redact",
      pdf,
      "--text",
      "visible words",
      "--pattern",
      "email",
      "--label",
      "s.40(2)",
      "--out",
      out,
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/\d+ areas? removed on 1 page/);
    const text = execFileSync("pdftotext", [out, "-"]).toString();
    expect(text).not.toMatch(/Visible words/i);
    expect(text).toContain("stay");
    expect(text).toContain("s.40(2)");
    const bad = await runCli(["files", "redact", pdf, "--pattern", "passport", "--out", out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--pattern");
  });
});

describe("foidesk files audit", () => {
  it("inspects every file already sent, lists the findings per request, and exits 1 when there are any", async () => {
    const data = mkdtempSync(join(tmpdir(), "foidesk-files-audit-"));
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("FOIDESK_DATA_DIR", data);
    vi.stubEnv("FOIDESK_FILES_DIR", "");
    try {
      const handle = await openDatabase({ kind: "pglite", dataDir: data });
      await migrateToLatest(handle.db);
      const store = localFolderStore(join(data, "files"));
      const actor = { userId: null, label: "Post room", role: "officer" as const };
      const when = new Date("2024-05-01T09:00:00Z");
      const created = await createRequest(
        handle.db,
        {
          regime: "foia",
          channel: "post",
          receivedDate: "2024-05-01",
          body: "Staff numbers by grade.",
          requester: { name: "Priya Raman", address: "22 Market Street" },
        },
        actor,
        when,
      );
      const sent = await addDocument(
        handle.db,
        store,
        created.id,
        { filename: "grades.xlsx", bytes: excelWorkbook() },
        actor,
        when,
      );
      await addDocument(
        handle.db,
        store,
        created.id,
        { filename: "notes.xlsx", bytes: excelWorkbook() },
        actor,
        when,
      );
      await handle.db
        .updateTable("documents")
        .set({ part_of_reply: true })
        .where("id", "=", sent.id)
        .execute();
      await handle.close();
      const { code, stdout, stderr } = await runCli(["files", "audit", "--json"]);
      expect(stderr).toBe("");
      expect(code).toBe(1);
      const [request] = JSON.parse(stdout);
      expect(request.reference).toBe(created.reference);
      // Only what went out is audited: the case papers that were never sent are not.
      expect(request.files.map((file: { file: string }) => file.file)).toEqual(["grades.xlsx"]);
      expect(request.files[0].findings).toContainEqual({
        kind: "hidden-sheet",
        where: "sheet StaffList",
        detail: "2 cells: PLANT_HIDDENSHEET, 7",
      });
      const human = await runCli(["files", "audit"]);
      expect(human.stdout).toContain(`${created.reference}:\n  grades.xlsx (sent):`);
      expect(human.stdout).toContain("Hidden sheet — sheet StaffList: 2 cells: PLANT_HIDDENSHEET, 7");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
