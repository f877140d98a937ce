import { logLevel, type logCreator } from 'kafkajs';
import type { BusLogger } from '../bus-logger';

/** Routes kafkajs's own log lines to the bus logger (no payloads are ever logged). */
export function kafkajsLogCreator(logger: BusLogger): logCreator {
  return () => ({ namespace, level, log }) => {
    const { message, ...fields } = log;
    const text = `kafkajs ${namespace}: ${message}`;
    if (level === logLevel.ERROR) logger.error(text, fields);
    else if (level === logLevel.WARN) logger.warn(text, fields);
    else logger.info(text, fields);
  };
}
