/**
 * Errors a user can act on. Each carries the exit code the CLI maps it to, and a message that is
 * printed as one line (no stack trace): 2 for usage, configuration, spec and target problems.
 */
export class ContractsError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad command line: unknown API, unknown option value, missing argument. */
export class UsageError extends ContractsError {}

/** A spec that cannot be read, parsed or resolved. The message names file, line and JSON pointer. */
export class SpecError extends ContractsError {}

/** The system under test could not be reached (refused, DNS, TLS, timeout). */
export class TargetError extends ContractsError {}

/** A helper process (Prism) could not be started or stopped. */
export class MockError extends ContractsError {}

/**
 * A mistake in the config file. The message is the whole line, `file:line: key: what is wrong`, in
 * the shape compilers use, so editors and CI annotations can jump to it.
 */
export class ConfigError extends ContractsError {}
