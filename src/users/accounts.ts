import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database } from "../db/index.ts";
import { DomainError, invalid } from "../errors.ts";
import { hashPassword } from "./password.ts";
import {
  countUsers,
  findUserById,
  findUserByUsername,
  insertUser,
  insertUserEvent,
  listUsers,
  type StaffUser,
  teamIdFor,
  teamsWithStaff,
} from "./repo.ts";
import { roleLabels, roles } from "./roles.ts";

export const minimumPasswordLength = 10;

// NCSC password guidance: length over composition rules; the upper bound only stops absurd input.
const newUserSchema = z.object({
  username: z
    .string()
    .trim()
    .regex(
      /^[a-z0-9][a-z0-9._-]{1,63}$/i,
      "A username must be 2 to 64 letters, digits, dots, hyphens or underscores, starting with a letter or digit",
    ),
  name: z
    .string()
    .trim()
    .min(1, "Enter the person's name")
    .max(200, "A name must be 200 characters or fewer"),
  role: z.enum(roles as [string, ...string[]], {
    error: `A role must be one of: ${roles.join(", ")}`,
  }),
  team: z.string().trim().max(100, "A team name must be 100 characters or fewer").optional(),
  email: z
    .union([z.literal(""), z.email("Enter an email address in the correct format, like name@example.org")])
    .optional(),
  password: z
    .string()
    .min(minimumPasswordLength, `A password must be at least ${minimumPasswordLength} characters`)
    .max(200, "A password must be 200 characters or fewer"),
});

export type NewStaffUser = z.input<typeof newUserSchema>;

/** The first problem with `input`, as the domain's one error type (the CLI prints one problem at a time). */
function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw invalid(issue.path.join(".") || "input", issue.message);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

export async function createUser(
  db: Kysely<Database>,
  input: NewStaffUser,
  actor: { userId: number | null; label: string },
  // The caller's clock (the app's, the command line's, a test's), never read here: one clock per process.
  now: Date,
): Promise<StaffUser> {
  const user = parse(newUserSchema, input);
  if (await findUserByUsername(db, user.username)) {
    throw new DomainError("conflict", `there is already a user called ${user.username}`, "username");
  }
  const passwordHash = await hashPassword(user.password);
  try {
    const id = await db.transaction().execute(async (trx) => {
      const teamId = user.team ? await teamIdFor(trx, user.team) : null;
      const id = await insertUser(trx, {
        username: user.username,
        name: user.name,
        email: user.email ?? "",
        role: user.role as StaffUser["role"],
        teamId,
        passwordHash,
      });
      await insertUserEvent(trx, {
        userId: id,
        kind: "created",
        actorId: actor.userId,
        actorLabel: actor.label,
        at: now,
      });
      return id;
    });
    return (await findUserById(db, id))!;
  } catch (error) {
    // Two admins creating the same username at once: the unique index decides.
    if (isUniqueViolation(error)) {
      throw new DomainError("conflict", `there is already a user called ${user.username}`, "username");
    }
    throw error;
  }
}

export {
  countUsers,
  findUserById,
  findUserByUsername,
  listUsers,
  roleLabels,
  type StaffUser,
  teamsWithStaff,
};
