/**
 * Errors caused by the user's input (flags, env, config file, an unmarked database).
 * The CLI prints them without a stack trace and exits with code 2, the contract for
 * "bad input" (see README). Anything else is a bug or an environment failure and is
 * printed with its stack, exit code 1.
 */
export class UserError extends Error {
  /** One line per problem, each naming where it is (flag, key, file) and how to fix it. */
  readonly problems: string[];
  constructor(problems: string | string[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.join('\n'));
    this.name = 'UserError';
    this.problems = list;
  }
}

/** Exit codes of the CLI, in one place so scripts and CI can rely on them. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  badInput: 2,
  /** A threshold (budget or regression gate) failed; the run itself worked (k6 uses 99 too). */
  thresholdFailed: 99,
  /** Interrupted by SIGINT (128 + 2), after writing what was measured. */
  interrupted: 130,
} as const;

/** True for an error the user can fix by changing their input. */
export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}
