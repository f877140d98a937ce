/** What the adapters report: handler failures (re-delivered), reconnects, crashes. No payloads. */
export interface BusLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const consoleBusLogger: BusLogger = {
  info: () => undefined,
  warn: (message, fields) => console.warn(`[messaging] ${message}`, fields ?? ''),
  error: (message, fields) => console.error(`[messaging] ${message}`, fields ?? ''),
};

export const silentBusLogger: BusLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
