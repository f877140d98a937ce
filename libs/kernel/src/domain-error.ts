/** A business rule refused something. `code` is stable (e.g. `AGREEMENT.NOT_ACTIVE`); the message names field and value. */
export class DomainError extends Error {
  constructor(readonly code: string, message: string, readonly details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Infrastructure failed; `retriable` says whether trying again may succeed. */
export class InfrastructureError extends Error {
  constructor(message: string, readonly retriable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InfrastructureError';
  }
}

/** For exhaustive switches: a new union member breaks the build where it is not handled. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
