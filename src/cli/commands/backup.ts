import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { databaseConfigFromEnv } from "../../db/index.ts";
import { invalid } from "../../errors.ts";
import {
  askServerForBackup,
  restoreBackup,
  servingProcess,
  writeBackup,
  writeWhole,
} from "../../retention/index.ts";
import { s3StoreFromEnv } from "../../storage/index.ts";
import type { CliContext } from "../context.ts";
import { withDatabase } from "../database.ts";
import { filesAndMail } from "./serve.ts";

/**
 * `foidesk backup --out FILE` and `foidesk restore FILE`: the embedded database and the file store in one zip
 * (README "Keeping data"). While `foidesk serve` runs on the same data folder, the server writes the snapshot.
 */
export function registerBackup(program: Command, { now }: CliContext): void {
  program
    .command("backup")
    .description("write a consistent backup of the database (PGlite) and the file store to one zip file")
    .requiredOption("--out <file>", "the zip file to write")
    .action(async (options: { out: string }) => {
      const config = databaseConfigFromEnv();
      const dataDir = process.env.FOIDESK_DATA_DIR ?? "data";
      const pid = config.kind === "pglite" ? await servingProcess(dataDir) : null;
      if (pid) {
        await askServerForBackup(dataDir, pid, options.out);
        process.stdout.write(`The running server (pid ${pid}) wrote ${options.out}.\n`);
        return;
      }
      const { files } = await filesAndMail(process.env);
      const { zip, manifest } = await withDatabase((handle) => writeBackup(handle, files, now()));
      await writeWhole(options.out, zip);
      process.stdout.write(
        `Wrote ${options.out}: ${manifest.requests} requests, ${manifest.events} events, ${manifest.files} files.\n` +
          (config.kind === "postgres"
            ? "The PostgreSQL database is not in it: back it up with pg_dump -Fc (see README, Keeping data).\n"
            : ""),
      );
    });
  program
    .command("restore")
    .description(
      "restore a backup into an empty data folder (FOIDESK_DATA_DIR, FOIDESK_FILES_DIR or an empty FOIDESK_S3_BUCKET); with DATABASE_URL, give --pg-dump",
    )
    .argument("<file>", "the backup zip")
    .option("--pg-dump <file>", "a custom-format dump (pg_dump -Fc) to restore into DATABASE_URL")
    .action(async (file: string, options: { pgDump?: string }) => {
      const archive = await readFile(file).catch(() => {
        throw invalid("file", `Cannot read ${file}`);
      });
      const dataDir = process.env.FOIDESK_DATA_DIR ?? "data";
      const filesDir = process.env.FOIDESK_FILES_DIR ?? join(dataDir, "files");
      const databaseUrl = process.env.DATABASE_URL;
      // With FOIDESK_S3_BUCKET the files go back into the bucket (which must hold none yet).
      const bucket = s3StoreFromEnv(process.env);
      const result = await restoreBackup(new Uint8Array(archive), {
        ...(bucket ? { files: bucket } : { filesDir }),
        ...(databaseUrl ? { databaseUrl } : { dataDir }),
        ...(options.pgDump ? { pgDump: options.pgDump } : {}),
      });
      process.stdout.write(
        `Restored the backup of ${result.manifest.createdAt}: ${result.manifest.requests} requests, ${result.files} files. Run foidesk audit verify to check its history.\n`,
      );
    });
}
