import { describe, expect, it } from "vitest";
import { type Ability, type AbilityRole, abilities, assertCan, can } from "./index.ts";

// The capability table, read as a manager would: for each ability, who has it. Each row is written out so that
// a change to who may do what shows up here, in one line a reviewer can read.

const everyone: readonly AbilityRole[] = ["officer", "approver", "manager", "admin", "requester", "system"];

const expected: Record<Ability, readonly AbilityRole[]> = {
  "work-on-requests": ["officer", "approver", "manager", "admin"],
  "assign-request": ["officer", "approver", "manager", "admin", "system"],
  "assign-others": ["approver", "manager", "admin", "system"],
  "see-every-queue": ["manager", "admin"],
  "approve-reply": ["approver", "manager", "admin"],
  "change-regime": ["officer", "manager"],
  "move-from-subject-access": ["manager"],
  "release-file-as-is": ["approver", "manager", "admin"],
  "edit-paragraph-library": ["manager", "admin"],
  "publish-reply": ["manager", "admin", "system"],
  "take-down-reply": ["manager", "admin", "system"],
  "remove-publication-redaction": ["manager", "admin", "system"],
  "change-redaction-rules": ["manager", "admin", "system"],
  "change-publication-timing": ["manager", "admin", "system"],
  "edit-publication-scheme": ["manager", "admin"],
  "import-dataset": ["manager", "admin", "system"],
  "edit-release-policy": ["manager", "admin"],
  "release-statistics": ["officer", "manager", "admin"],
  "edit-statistical-reply": ["officer", "manager", "admin"],
  "read-reports": ["officer", "approver", "manager", "admin"],
  "report-on-any-team": ["manager", "admin"],
  "view-subject-access": ["requester", "system"],
  "manage-settings": ["manager", "admin"],
  "manage-retention": ["manager", "admin"],
  "set-retention-schedule": ["manager", "admin"],
  "place-legal-hold": ["manager", "admin"],
  "lift-legal-hold": ["manager", "admin"],
  "erase-requester-data": ["manager", "admin"],
  "correct-requester-data": ["manager", "admin"],
  "manage-users": ["admin"],
};

describe("who may do what (the capability table)", () => {
  it("gives each ability to exactly the roles listed, and refuses everyone else with a reason", () => {
    expect([...abilities].sort()).toEqual(Object.keys(expected).sort());
    for (const ability of abilities) {
      for (const role of everyone) {
        const permission = can({ role, userId: 7 }, ability);
        const may = expected[ability].includes(role);
        expect({ ability, role, allowed: permission.allowed }).toEqual({ ability, role, allowed: may });
        if (!permission.allowed) expect(permission.reason).toMatch(/^[A-Z]/);
      }
    }
  });

  it("lets an officer assign a request only to themselves; an approver or a manager to anyone", () => {
    const officer = { role: "officer", userId: 7 };
    expect(can(officer, "assign-request", { assigneeId: 7 })).toEqual({ allowed: true });
    expect(can(officer, "assign-request", { assigneeId: 8 })).toEqual({
      allowed: false,
      reason: "An officer may assign a request only to themselves",
    });
    expect(can({ role: "approver", userId: 7 }, "assign-request", { assigneeId: 8 }).allowed).toBe(true);
    expect(can({ role: "manager", userId: 7 }, "assign-request", { assigneeId: 8 }).allowed).toBe(true);
    // foidesk itself (an import, the demo) logs a request already allocated to someone.
    expect(can({ role: "system", userId: null }, "assign-request", { assigneeId: 8 }).allowed).toBe(true);
    // Not assigning anyone (logging a request for the intake team) asks nothing of the role.
    expect(can(officer, "assign-request").allowed).toBe(true);
  });

  it("lets staff see subject access requests only in the roles or the team the authority names", () => {
    const policy = { roles: ["manager"], teamId: 3 };
    const officer = { role: "officer", userId: 7 };
    expect(can(officer, "view-subject-access", { subjectAccess: policy, teamId: 2 }).allowed).toBe(false);
    expect(can(officer, "view-subject-access", { subjectAccess: policy, teamId: 3 }).allowed).toBe(true);
    expect(
      can({ role: "manager", userId: 8 }, "view-subject-access", { subjectAccess: policy }).allowed,
    ).toBe(true);
    const noTeam = { roles: ["manager"], teamId: null };
    expect(can(officer, "view-subject-access", { subjectAccess: noTeam, teamId: null }).allowed).toBe(false);
  });

  it("refuses as forbidden, in the table's words", () => {
    expect(() => assertCan({ role: "officer" }, "import-dataset")).toThrow(
      expect.objectContaining({
        code: "forbidden",
        message: "Only an information-rights manager can import a dataset.",
      }),
    );
    expect(() => assertCan({ role: "system" }, "import-dataset")).not.toThrow();
  });
});
