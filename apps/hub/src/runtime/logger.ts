import pino, { type Logger } from 'pino';

/**
 * Logs go to stderr (stdout carries the CLI's JSON). They carry codes, ids and counts, never
 * personal data: no payloads, names, dates of birth or identifiers are ever passed to a logger.
 */
export function createLogger(level = process.env.HUB_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'cdp-hub' } }, pino.destination({ dest: 2, sync: true }));
}

export type { Logger };
