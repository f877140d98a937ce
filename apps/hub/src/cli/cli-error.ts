/** A usage or configuration error: the CLI prints the message on stderr and exits with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const exitCodes = { ok: 0, rejected: 1, usage: 2 } as const;
