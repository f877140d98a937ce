import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { InfrastructureError } from '@hub/kernel';
import { toInfrastructureError } from './kafka-errors';

describe('kafkajs failures as infrastructure errors', () => {
  it('says a lost connection is retriable', () => {
    const error = toInfrastructureError('publish to t', new KafkaJSConnectionError('Connection error: ECONNREFUSED'));
    expect(error).toBeInstanceOf(InfrastructureError);
    expect(error.retriable).toBe(true);
    expect(error.message).toContain('publish to t');
  });

  it('says exhausted retries are retriable for the caller: the broker may be back later', () => {
    const cause = new KafkaJSConnectionError('Connection error');
    expect(toInfrastructureError('x', new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 5, retryTime: 100 })).retriable).toBe(true);
  });

  it('keeps the broker protocol error flag', () => {
    const brokerError = (type: string, retriable: boolean) =>
      new KafkaJSProtocolError(Object.assign(new Error(type), { type, retriable }));
    expect(toInfrastructureError('x', brokerError('LEADER_NOT_AVAILABLE', true)).retriable).toBe(true);
    expect(toInfrastructureError('x', brokerError('MESSAGE_TOO_LARGE', false)).retriable).toBe(false);
  });

  it('treats non-retriable and unknown errors as not retriable', () => {
    expect(toInfrastructureError('x', new KafkaJSNonRetriableError('bad config')).retriable).toBe(false);
    expect(toInfrastructureError('x', new TypeError('oops')).retriable).toBe(false);
  });
});
