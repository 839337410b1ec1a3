import type { Command } from "commander";
import { invalid } from "../../errors.ts";
import { createApiToken, listTokens, revokeToken } from "../../users/index.ts";
import type { CliContext } from "../context.ts";
import { withDatabase } from "../database.ts";

/** `foidesk token create | list | revoke`: API tokens for /api/v1. */
export function registerToken(program: Command, { now }: CliContext): void {
  const token = program.command("token").description("manage API tokens");
  token
    .command("create")
    .description("create an API token acting as a user; prints it once (only its hash is stored)")
    .requiredOption("--user <username>", "the user the token acts as")
    .option("--name <label>", "what the token is for, e.g. 'case import'")
    .action(async (options: { user: string; name?: string }) => {
      const created = await withDatabase((handle) =>
        createApiToken(
          handle.db,
          { username: options.user, ...(options.name ? { name: options.name } : {}) },
          now(),
        ),
      );
      // The token alone on stdout, so `TOKEN=$(foidesk token create …)` works; the advice goes to stderr.
      process.stdout.write(`${created.token}\n`);
      process.stderr.write(
        `API token ${created.id} ("${created.name}") acts as ${created.user.username}. It is shown only this once:\n` +
          `keep it secret, and send it as "Authorization: Bearer <token>". Revoke it with: foidesk token revoke --id ${created.id}\n`,
      );
    });

  token
    .command("list")
    .description("list API tokens (never the tokens themselves)")
    .action(async () => {
      const tokens = await withDatabase((handle) => listTokens(handle.db));
      for (const listed of tokens) {
        const state = listed.revokedAt ? `revoked ${listed.revokedAt.toISOString()}` : "live";
        const used = listed.lastUsedAt ? `last used ${listed.lastUsedAt.toISOString()}` : "never used";
        process.stdout.write(`${listed.id}\t${listed.username}\t${listed.name}\t${state}\t${used}\n`);
      }
    });

  token
    .command("revoke")
    .description("revoke an API token: it stops working at once")
    .requiredOption("--id <id>", "the token's id (see foidesk token list)")
    .action(async (options: { id: string }) => {
      const id = /^\d+$/.test(options.id) ? Number(options.id) : Number.NaN;
      if (!Number.isSafeInteger(id)) throw invalid("--id", `"${options.id}" is not a token id`);
      await withDatabase((handle) => revokeToken(handle.db, id, now()));
      process.stdout.write(`Revoked API token ${id}.\n`);
    });
}
