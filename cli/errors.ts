/**
 * Exit codes scripts can rely on; docs/operations.md "Command-line interface" documents them.
 * 0: done. 1: the API refused the request (a problem document). 2: the command line or local input is wrong,
 * nothing was sent. 3: the API could not be reached, or answered that it is unavailable (retry later).
 * 70 (EX_SOFTWARE): a bug in the CLI itself.
 */
export const EXIT = { OK: 0, REFUSED: 1, USAGE: 2, UNAVAILABLE: 3, BUG: 70 } as const;

/** Bad arguments, a missing key, an unreadable file: nothing was sent. */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}
