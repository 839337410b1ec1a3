import type { Command } from "commander";
import { invalid } from "../../errors.ts";
import {
  accountHistory,
  changeRole,
  createUser,
  deactivateUser,
  forcePasswordReset,
  listUsers,
  reactivateUser,
  resetSecondFactor,
  roleLabels,
  roles,
  type UserActor,
  userEventLabels,
} from "../../users/index.ts";
import type { CliContext } from "../context.ts";
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

/** Who the history names for a change made at the command line: the operating-system account. */
function commandLineActor(): UserActor {
  const who = process.env.SUDO_USER || process.env.USER || process.env.LOGNAME;
  return { userId: null, label: who ? `command line (${who})` : "command line" };
}

function when(date: Date | null): string {
  return date ? date.toISOString() : "never";
}

/**
 * `foidesk user create | list | show | deactivate | reactivate | role | reset-password | reset-second-factor`:
 * staff accounts, for administrators. Each change is recorded in the account's history.
 */
export function registerUser(program: Command, { now }: CliContext): void {
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
        createUser(
          handle.db,
          {
            username: options.username,
            name: options.name,
            role: options.role,
            password,
            ...(options.team ? { team: options.team } : {}),
            ...(options.email ? { email: options.email } : {}),
          },
          { userId: null, label: "command line" },
          now(),
        ),
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
        const status = person.active ? "" : " (deactivated)";
        process.stdout.write(
          `${person.username}\t${person.name}\t${person.role}\t${person.teamName ?? "-"}\tlast sign-in ${when(person.lastSignInAt)}${status}\n`,
        );
      }
    });

  user
    .command("show")
    .description("an account: role, status, how it signs in, last sign-in and its history")
    .requiredOption("--username <username>", "the account")
    .action(async (options: { username: string }) => {
      const { user: person, events } = await withDatabase((handle) =>
        accountHistory(handle.db, options.username),
      );
      const how = person.sso
        ? "single sign-on"
        : person.secondFactor
          ? "password and authenticator app"
          : "password";
      process.stdout.write(
        [
          `${person.username} (${person.name}), ${roleLabels[person.role].toLowerCase()}, ${person.active ? "active" : "deactivated"}`,
          `signs in with ${how}; last sign-in ${when(person.lastSignInAt)}${person.passwordResetRequired ? "; must choose a new password" : ""}`,
          "history (most recent first):",
          ...events.map(
            (event) =>
              `  ${event.at.toISOString()}  ${userEventLabels[event.kind] ?? event.kind}${event.detail ? ` (${event.detail})` : ""}, by ${event.actorLabel}`,
          ),
        ].join("\n") + "\n",
      );
    });

  user
    .command("deactivate")
    .description("stop an account signing in: its sessions end and its API tokens are revoked at once")
    .requiredOption("--username <username>", "the account")
    .action(async (options: { username: string }) => {
      const { user: person, tokensRevoked } = await withDatabase((handle) =>
        deactivateUser(handle.db, options.username, commandLineActor(), now()),
      );
      process.stdout.write(
        `Deactivated ${person.username}: sessions ended, ${tokensRevoked} API token${tokensRevoked === 1 ? "" : "s"} revoked.\n`,
      );
    });

  user
    .command("reactivate")
    .description("let a deactivated account sign in again (its old API tokens stay revoked)")
    .requiredOption("--username <username>", "the account")
    .action(async (options: { username: string }) => {
      const person = await withDatabase((handle) =>
        reactivateUser(handle.db, options.username, commandLineActor(), now()),
      );
      process.stdout.write(`Reactivated ${person.username}.\n`);
    });

  user
    .command("role")
    .description("change an account's role; its sessions end, so the new role starts at the next sign-in")
    .requiredOption("--username <username>", "the account")
    .requiredOption("--role <role>", `one of ${roles.join(", ")}`)
    .action(async (options: { username: string; role: string }) => {
      const person = await withDatabase((handle) =>
        changeRole(handle.db, options.username, options.role, commandLineActor(), now()),
      );
      process.stdout.write(`${person.username} is now ${roleLabels[person.role].toLowerCase()}.\n`);
    });

  user
    .command("reset-password")
    .description("require a new password at the next sign-in; the account's sessions end now")
    .requiredOption("--username <username>", "the account")
    .action(async (options: { username: string }) => {
      const person = await withDatabase((handle) =>
        forcePasswordReset(handle.db, options.username, commandLineActor(), now()),
      );
      process.stdout.write(`${person.username} must choose a new password at their next sign-in.\n`);
    });

  user
    .command("reset-second-factor")
    .description(
      "forget an account's authenticator app (a lost phone); it is set up again at the next sign-in",
    )
    .requiredOption("--username <username>", "the account")
    .action(async (options: { username: string }) => {
      const person = await withDatabase((handle) =>
        resetSecondFactor(handle.db, options.username, commandLineActor(), now()),
      );
      process.stdout.write(`${person.username} will set up an authenticator app at their next sign-in.\n`);
    });
}
