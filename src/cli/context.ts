/**
 * What `foidesk` hands every command instead of letting it reach for globals: the clock. The installed command
 * gets the machine's; tests give a fixed one (`runCli`), so whatever a command dates or counts from today is
 * exact.
 */
export interface CliContext {
  /** The time now. A command reads it once per operation, so all of one operation's work carries one time. */
  readonly now: () => Date;
}

/** The machine's clock: the only place the CLI reads it. */
export const systemClock = (): Date => new Date();
