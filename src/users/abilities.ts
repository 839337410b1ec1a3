import type { Role } from "../db/index.ts";
import { DomainError } from "../errors.ts";

// Who may do what, decided once (like Alaveteli's Ability): route hooks, services and the request workflow all
// ask `can`. Each ability is named for what it lets someone do, lists the roles that have it, and carries the
// words of its refusal, so the page, the API and the service refuse alike. The workflow table still says, per
// action, from which states it may be taken; who may take it comes from here.

/** Who asks: a member of staff in their role, the requester through their tracking link, or foidesk itself. */
export type AbilityRole = Role | "requester" | "system";

/** Whoever is asking, as the services and the request history know them. */
export interface Asker {
  role: string;
  userId?: number | null;
}

const staff = ["officer", "approver", "manager", "admin"] as const satisfies readonly AbilityRole[];
const signOff = ["approver", "manager", "admin"] as const satisfies readonly AbilityRole[];
const managers = ["manager", "admin"] as const satisfies readonly AbilityRole[];

interface AbilityRule {
  roles: readonly AbilityRole[];
  /** The refusal to someone without the ability. */
  refusal: string;
}

export const abilityTable = {
  // Requests.
  "work-on-requests": { roles: staff, refusal: "Only a member of staff can work on a request" },
  /** Taking a request: anyone on the staff; giving it to someone else needs assign-others. */
  // foidesk itself too: an import, the demo or a benchmark logs requests already allocated (as before the table).
  "assign-request": { roles: [...staff, "system"], refusal: "Only a member of staff can assign a request" },
  /** Allocating work to a colleague is a manager's call (and an approver's); an officer takes their own. */
  "assign-others": {
    roles: [...signOff, "system"],
    refusal: "An officer may assign a request only to themselves",
  },
  /** Any team's work queue, or everyone's; others see their own and their team's. */
  "see-every-queue": { roles: managers, refusal: "Only an information-rights manager can see every queue" },
  /** Four-eyes sign-off of a reply (the workflow's approve and return-for-changes). */
  "approve-reply": { roles: signOff, refusal: "Only an approver can sign off a reply" },
  "change-regime": {
    roles: ["officer", "manager"],
    refusal: "Only an officer or a manager can change the law",
  },
  /** A subject access reply always needs sign-off (UK GDPR Art.15): only a manager decides it was never one. */
  "move-from-subject-access": {
    roles: ["manager"],
    refusal:
      "A subject access request needs an approver's sign-off whatever its outcome, so only a manager can move it to another law: ask a manager",
  },
  "release-file-as-is": {
    roles: signOff,
    refusal: "Only an approver can release a file with hidden data as it is",
  },
  "edit-paragraph-library": { roles: managers, refusal: "Only a manager can change the paragraph library" },
  // The disclosure log (issue 6: "by a manager"); foidesk itself publishes what is due.
  "publish-reply": {
    roles: [...managers, "system"],
    refusal: "Only an information-rights manager can publish a reply.",
  },
  "take-down-reply": {
    roles: [...managers, "system"],
    refusal: "Only an information-rights manager can take a reply down.",
  },
  "remove-publication-redaction": {
    roles: [...managers, "system"],
    refusal:
      "Only an information-rights manager can remove a redaction, because the words it masks could then be published: ask a manager to remove it.",
  },
  "change-redaction-rules": {
    roles: [...managers, "system"],
    refusal: "Only an information-rights manager can change the redaction rules.",
  },
  "change-publication-timing": {
    roles: [...managers, "system"],
    refusal: "Only an information-rights manager can change when replies are published.",
  },
  "edit-publication-scheme": {
    roles: managers,
    refusal: "Only an information-rights manager can change the publication scheme.",
  },
  // Statistics: importing and release policies are the authority's decision; officers release tables.
  "import-dataset": {
    roles: [...managers, "system"],
    refusal: "Only an information-rights manager can import a dataset.",
  },
  "edit-release-policy": {
    roles: managers,
    refusal: "Only an information-rights manager can change a release policy.",
  },
  "release-statistics": {
    roles: ["officer", ...managers],
    refusal: "Only a case officer or an information-rights manager can release a table.",
  },
  "edit-statistical-reply": {
    roles: ["officer", ...managers],
    refusal: "Only a case officer or an information-rights manager can change a reply.",
  },
  "read-reports": { roles: staff, refusal: "Only a member of staff can read the reports" },
  /** Officers and approvers see their own team's report only. */
  "report-on-any-team": {
    roles: managers,
    refusal: "Only an information-rights manager can see another team's report",
  },
  /**
   * Subject access requests hold the requester's own personal data (UK GDPR Art.5(1)(f), Art.32): the
   * requester (through their link) and foidesk itself see them; staff only in the roles or the team the
   * authority names (requests/sar-access.ts gives them as the subject). To anyone else a SAR does not exist.
   */
  "view-subject-access": { roles: ["requester", "system"], refusal: "There is no such request" },
  // The authority's settings, retention and the requester's rights (UK GDPR Art.16, Art.17).
  "manage-settings": {
    roles: managers,
    refusal: "Only an information-rights manager can change the settings",
  },
  "manage-retention": {
    roles: managers,
    refusal: "Only an information-rights manager may manage retention",
  },
  "set-retention-schedule": {
    roles: managers,
    refusal: "Only an information-rights manager may set the retention schedule",
  },
  "place-legal-hold": {
    roles: managers,
    refusal: "Only an information-rights manager may place a legal hold",
  },
  "lift-legal-hold": { roles: managers, refusal: "Only an information-rights manager may lift a legal hold" },
  "erase-requester-data": {
    roles: managers,
    refusal: "Only an information-rights manager may erase a requester's data",
  },
  "correct-requester-data": {
    roles: managers,
    refusal: "Only an information-rights manager may correct a requester's data",
  },
  "manage-users": { roles: ["admin"], refusal: "Only an administrator can manage users" },
} as const satisfies Record<string, AbilityRule>;

export type Ability = keyof typeof abilityTable;
export const abilities = Object.keys(abilityTable) as Ability[];

/** What `can` may look at: for assign-request, whom the request is to be assigned to. */
export interface AbilitySubject {
  assigneeId?: number | null | undefined;
  /** For view-subject-access: the authority's SAR roles and team, and the asker's team. */
  subjectAccess?: { roles: readonly string[]; teamId: number | null } | undefined;
  teamId?: number | null | undefined;
}

export type Permission = { allowed: true } | { allowed: false; reason: string };

const allowed: Permission = { allowed: true };

/** May `asker` do `ability` (to `subject`, when the ability looks at one)? If not, the reason. */
export function can(asker: Asker, ability: Ability, subject: AbilitySubject = {}): Permission {
  const rule: AbilityRule = abilityTable[ability];
  if (ability === "view-subject-access" && subject.subjectAccess) {
    const { roles, teamId } = subject.subjectAccess;
    if (roles.includes(asker.role)) return allowed;
    if (teamId !== null && subject.teamId === teamId) return allowed;
  }
  if (!rule.roles.includes(asker.role as AbilityRole)) return { allowed: false, reason: rule.refusal };
  // Assigning to someone else is allocating work: the one rule for every place a request is assigned.
  if (
    ability === "assign-request" &&
    subject.assigneeId !== undefined &&
    subject.assigneeId !== asker.userId &&
    !can(asker, "assign-others").allowed
  )
    return { allowed: false, reason: abilityTable["assign-others"].refusal };
  return allowed;
}

/** Refuses ("forbidden", with the ability's reason) unless `asker` may do `ability`. */
export function assertCan(asker: Asker, ability: Ability, subject: AbilitySubject = {}): void {
  const permission = can(asker, ability, subject);
  if (!permission.allowed) throw new DomainError("forbidden", permission.reason);
}

/** The roles that have `ability` (for the workflow's transitions, and the words of a hook's refusal). */
export function rolesWith(ability: Ability): readonly AbilityRole[] {
  return abilityTable[ability].roles;
}
