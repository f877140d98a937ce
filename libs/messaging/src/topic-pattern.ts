/** Whether `topic` is named by any of the subscription's names or patterns. */
export function matchesAny(topic: string, patterns: ReadonlyArray<string | RegExp>): boolean {
  return patterns.some((pattern) => (typeof pattern === 'string' ? pattern === topic : testPattern(pattern, topic)));
}

function testPattern(pattern: RegExp, topic: string): boolean {
  // A global or sticky RegExp keeps state between `test` calls: reset it.
  pattern.lastIndex = 0;
  return pattern.test(topic);
}

/** Kafka's legal topic names: 1-249 of [a-zA-Z0-9._-]. */
export function assertTopicName(topic: string): void {
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(topic) || topic === '.' || topic === '..') {
    throw new TypeError(`Invalid topic name ${JSON.stringify(topic)}: use 1-249 of [a-zA-Z0-9._-]`);
  }
}
