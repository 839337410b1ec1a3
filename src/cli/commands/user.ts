import type { Command } from "commander";
import { invalid } from "../../errors.ts";
import { createUser, listUsers, roleLabels, roles } from "../../users/index.ts";
import { withDatabase } from "../database.ts";

/** Where the password comes from; tests replace it. Never the command line: that ends up in shell history. */
export const passwordInput = {
  async read(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString("utf8");
  },
};

interface CreateOptions {
  username: string;
  name: string;
  role: string;
  team?: string;
  email?: string;
  passwordStdin?: boolean;
}

/** `foidesk user create | list`: staff accounts, for administrators. */
export function registerUser(program: Command): void {
  const user = program.command("user").description("manage staff accounts");
  user
    .command("create")
    .description("create a staff account; the password is read from standard input")
    .requiredOption("--username <username>", "what they type to sign in")
    .requiredOption("--name <name>", "their full name, as shown to colleagues")
    .requiredOption("--role <role>", `one of ${roles.join(", ")}`)
    .option("--team <team>", "their team (created if new)")
    .option("--email <email>", "their work email address")
    .option("--password-stdin", "read the password from standard input (the first line)")
    .addHelpText(
      "after",
      "\nExample:\n  printf '%s\\n' \"$PASSWORD\" | foidesk user create --username jo --name 'Jo Bloggs' --role officer --team 'Information Rights' --password-stdin",
    )
    .action(async (options: CreateOptions) => {
      if (!options.passwordStdin) {
        throw invalid(
          "--password-stdin",
          "give the password on standard input with --password-stdin, never on the command line",
        );
      }
      const password = (await passwordInput.read()).split(/\r?\n/)[0] ?? "";
      const created = await withDatabase((handle) =>
        createUser(handle.db, {
          username: options.username,
          name: options.name,
          role: options.role,
          password,
          ...(options.team ? { team: options.team } : {}),
          ...(options.email ? { email: options.email } : {}),
        }),
      );
      const team = created.teamName ? ` in ${created.teamName}` : "";
      process.stdout.write(
        `Created ${created.username} (${created.name}), ${roleLabels[created.role].toLowerCase()}${team}.\n`,
      );
    });

  user
    .command("list")
    .description("list staff accounts")
    .option("--json", "print the list as JSON")
    .action(async (options: { json?: boolean }) => {
      const users = await withDatabase((handle) => listUsers(handle.db));
      if (options.json) {
        process.stdout.write(`${JSON.stringify(users)}\n`);
        return;
      }
      for (const person of users) {
        const status = person.active ? "" : " (inactive)";
        process.stdout.write(
          `${person.username}\t${person.name}\t${person.role}\t${person.teamName ?? "-"}${status}\n`,
        );
      }
    });
}
