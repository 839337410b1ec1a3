import { formatDate } from "./dates.ts";

// How close a request is to its due date, as a GOV.UK tag's words and colour: the one place for the rule, used
// by the dueDateTag component (views/components/due-date-tag) and by the work queue's rows, which write the
// tag's markup themselves (50 rows of macro calls cost the page more than its queries).

export interface DueDateTagParams {
  /** 'YYYY-MM-DD'; null when there is none (an invalid request). */
  dueDate?: string | null;
  /** Working (or calendar) days from today to the due date: 0 on the day, negative when overdue. */
  workingDaysLeft?: number | null;
  /** True while the clock is stopped (clarification sought, fees notice unpaid). */
  clockStopped?: boolean;
  /** How many days count as "due soon" (default 5). */
  soonWithin?: number;
  /** "working" (default) or "calendar" (subject access counts calendar days). */
  unit?: string;
}

export function dueDateTag(params: DueDateTagParams): { text: string; classes: string } {
  const tag = (text: string, colour: string) => ({ text, classes: `govuk-tag--${colour} app-due-date-tag` });
  const days = params.workingDaysLeft;
  const soonWithin = typeof params.soonWithin === "number" ? params.soonWithin : 5;
  const dayWord =
    (params.unit === "calendar" ? " day" : " working day") + (days === 1 || days === -1 ? "" : "s");
  if (!params.dueDate) return tag("No due date", "grey");
  if (params.clockStopped) return tag("Clock stopped", "grey");
  if (typeof days === "number" && days < 0) return tag(`Overdue by ${-days}${dayWord}`, "red");
  if (typeof days === "number" && days === 0) return tag("Due today", "red");
  if (typeof days === "number" && days <= soonWithin) return tag(`Due in ${days}${dayWord}`, "orange");
  return tag(`Due ${formatDate(params.dueDate)}`, "blue");
}
