import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import pino from "pino";
import type { DatabaseHandle } from "../../db/index.ts";
import { invalid } from "../../errors.ts";
import type { InboundDeps, InboundResult } from "../../mail/index.ts";
import type { CliContext } from "../context.ts";
import { withDatabase } from "../database.ts";
import { filesAndMail, parsePort, stopOnSignals } from "./serve.ts";

// `foidesk mail receive --listen PORT`: the SMTP listener on its own, for the authority's mail relay to
// deliver to. `foidesk mail import FILE.eml…`: the same processing for saved messages (a relay that drops
// files, or a test). Both log new requests and acknowledge them as the web app does.

/** The inbound processing with the web app's settings (BASE_URL for tracking links, SMTP_URL, MAIL_FROM). */
async function inboundFromEnv(handle: DatabaseHandle, env: NodeJS.ProcessEnv, now: () => Date) {
  const { createMailer } = await import("../../mail/index.ts");
  const { inboundDeps, webConfigFromEnv, resolveWebConfig } = await import("../../web/index.ts");
  const { files, mail } = await filesAndMail(env);
  const config = resolveWebConfig(webConfigFromEnv(env, parsePort(env.PORT ?? "3000", "PORT")));
  // JSON lines on standard error: ids and outcomes, never an address or text.
  const log = pino({ base: null }, process.stderr);
  const mailer = createMailer({ db: handle.db, now, log, ...mail });
  const deps: InboundDeps = inboundDeps({
    db: handle.db,
    files,
    mailer,
    now,
    log,
    baseUrl: config.baseUrl,
    serviceName: config.serviceName,
  });
  return { deps, close: () => mailer.close() };
}

/** One line per message: what became of it (a reference, or the reason it was not processed). */
export function describeResult(result: InboundResult): string {
  switch (result.status) {
    case "threaded":
      return `added to request ${result.reference}`;
    case "logged":
      return `logged as request ${result.reference}`;
    case "duplicate":
      return "already received: ignored";
    default:
      return `not processed: ${result.reason}`;
  }
}

export function registerMail(program: Command, { now }: CliContext): void {
  const mail = program.command("mail").description("email received from requesters");

  mail
    .command("import")
    .description(
      "process saved messages (.eml): replies are added to their requests, other email is logged as requests and acknowledged",
    )
    .argument("<files...>", "RFC 5322 messages, one a file")
    .action(async (paths: string[]) => {
      const messages: { path: string; raw: Buffer }[] = [];
      for (const path of paths) {
        try {
          messages.push({ path, raw: await readFile(path) });
        } catch (error) {
          throw invalid("FILE", `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
        }
      }
      await withDatabase(async (handle) => {
        const { receiveMessage } = await import("../../mail/index.ts");
        const inbound = await inboundFromEnv(handle, process.env, now);
        try {
          for (const message of messages) {
            const result = await receiveMessage(inbound.deps, message.raw);
            process.stdout.write(`${message.path}: ${describeResult(result)}\n`);
          }
        } finally {
          await inbound.close();
        }
      });
    });

  mail
    .command("receive")
    .description(
      "receive email by SMTP from the authority's mail relay (no sign-in, no TLS: keep it behind the relay); INBOUND_ADDRESSES, DATABASE_URL, BASE_URL, SMTP_URL, MAIL_FROM",
    )
    .requiredOption("--listen <port>", "the port to listen on")
    .option("--host <host>", "the address to listen on (default: HOST or 0.0.0.0)")
    .action(async (options: { listen: string; host?: string }) => {
      const port = parsePort(options.listen, "--listen");
      const host = options.host ?? process.env.HOST ?? "0.0.0.0";
      const { databaseConfigFromEnv, migrateToLatest, openDatabase } = await import("../../db/index.ts");
      const { configuredInboundAddresses, startInboundSmtp } = await import("../../mail/index.ts");
      const handle = await openDatabase(databaseConfigFromEnv());
      try {
        await migrateToLatest(handle.db);
        const addresses = await configuredInboundAddresses(handle.db, process.env);
        const inbound = await inboundFromEnv(handle, process.env, now);
        const listener = await startInboundSmtp({ port, host, addresses, deps: inbound.deps });
        process.stdout.write(
          `Receiving email on ${host}:${listener.port} for ${addresses.join(", ")} (${handle.describe}). Ctrl-C stops it.\n`,
        );
        stopOnSignals(async () => {
          await listener.close();
          await inbound.close();
          await handle.close();
        });
      } catch (error) {
        await handle.close();
        throw error;
      }
    });
}
