import { InfrastructureError } from '@hub/kernel';
import { describeError } from '../bus-logger';

/**
 * Wraps a kafkajs failure in an `InfrastructureError` that says whether trying again may help.
 * kafkajs marks its errors `retriable`; "retries exhausted" is retriable for the caller (the
 * broker may be back later); anything unknown is not.
 */
export function toInfrastructureError(action: string, error: unknown): InfrastructureError {
  if (error instanceof InfrastructureError) return error;
  return new InfrastructureError(`Kafka ${action} failed: ${describeError(error)}`, isRetriable(error), { cause: error });
}

export function isRetriable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'KafkaJSNumberOfRetriesExceeded' || error.name === 'KafkaJSRequestTimeoutError') return true;
  if (error.name === 'KafkaJSConnectionError' || error.name === 'KafkaJSConnectionClosedError') return true;
  if (error.name === 'KafkaJSNoBrokerAvailableError' || error.name === 'KafkaJSBrokerNotFound') return true;
  const flag = (error as { retriable?: unknown }).retriable;
  if (typeof flag === 'boolean') return flag;
  return false;
}

/** Rejects with a retriable error when `work` has not settled within `timeoutMs`. */
export async function withDeadline<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new InfrastructureError(`Kafka ${what} did not complete within ${timeoutMs} ms`, true)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
