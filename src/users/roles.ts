import type { Role } from "../db/index.ts";

export type { Role };

/** In order of seniority; what each may do is decided by the checks that name them, not by this order. */
export const roles: readonly Role[] = ["officer", "approver", "manager", "admin"];

export const roleLabels: Record<Role, string> = {
  officer: "Case officer",
  approver: "Approver",
  manager: "Information-rights manager",
  admin: "Administrator",
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (roles as readonly string[]).includes(value);
}

export function hasRole(user: { role: Role }, allowed: readonly Role[]): boolean {
  return allowed.includes(user.role);
}
