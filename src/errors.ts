// Errors a researcher can fix (bad input, bad arguments) are UserErrors: the CLI prints
// them without a stack and exits 2. A failure of the machine (no space left, permission denied,
// too many open files) is a MachineError: one line, no stack, exit 1. Anything else is a bug and
// keeps its stack.

/** Where in an input file a problem is. Lines are physical, the header being line 1. */
export interface Location {
  file?: string;
  line?: number;
  column?: string;
}

export class UserError extends Error {
  /** The message without its location, as given. */
  readonly reason: string;
  readonly location: Location;

  constructor(reason: string, location: Location = {}) {
    super(formatUserMessage(reason, location));
    this.name = 'UserError';
    this.reason = reason;
    this.location = location;
  }
}

function formatUserMessage(message: string, { file, line, column }: Location): string {
  const where: string[] = [];
  if (file !== undefined) where.push(file);
  if (line !== undefined) where.push(`line ${line}`);
  if (column !== undefined) where.push(`column ${quote(column)}`);
  return where.length > 0 ? `${where.join(', ')}: ${message}` : message;
}

/** Quotes a value from the data for a message, shortened so a huge cell cannot flood the terminal. */
export function quote(value: string, max = 60): string {
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(shown);
}

/** Lists names for a message: "a", "b" and "c". */
export function listNames(names: readonly string[]): string {
  const quoted = names.map((n) => quote(n));
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** The machine could not do the work: the path, and the reason in words (with the system's code). */
export class MachineError extends Error {
  constructor(
    readonly path: string,
    /** What failed and why, e.g. "cannot write: no space left on the device (ENOSPC)". */
    readonly reason: string,
    readonly code: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'MachineError';
  }
}

export function isMachineError(error: unknown): error is MachineError {
  return error instanceof MachineError;
}
