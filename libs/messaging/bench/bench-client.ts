/** One Kafka client under measurement: the same produce and consume work for each. */
export interface BenchClient {
  readonly name: string;
  /** Sends every message (acks=all), `batchSize` per request, one request at a time. */
  produce(topic: string, messages: ReadonlyArray<BenchMessage>, batchSize: number): Promise<void>;
  /** Reads the topic from the beginning in a new group until `count` messages have arrived. */
  consume(topic: string, groupId: string, count: number): Promise<ConsumeTiming>;
  close(): Promise<void>;
}

export interface BenchMessage {
  readonly key: string;
  readonly value: string;
}

export interface ConsumeTiming {
  /** From the start of the subscription to the first message: group join and first fetch. */
  readonly firstMessageMs: number;
  readonly totalMs: number;
}

/** Resolves once `count` messages were counted; `onMessages` is called from the client's loop. */
export function countdown(count: number): { onMessages: (n: number) => void; done: Promise<ConsumeTiming> } {
  const started = performance.now();
  let first: number | undefined;
  let seen = 0;
  let finish: (timing: ConsumeTiming) => void = () => undefined;
  const done = new Promise<ConsumeTiming>((resolve) => (finish = resolve));
  return {
    done,
    onMessages: (n) => {
      first ??= performance.now();
      seen += n;
      if (seen >= count) finish({ firstMessageMs: first - started, totalMs: performance.now() - started });
    },
  };
}

/** Loads a client that is not a dependency of the repo, from BENCH_CLIENTS_DIR when set. */
export function resolveOptional(moduleName: string): string | undefined {
  const paths = [process.env.BENCH_CLIENTS_DIR, process.cwd()].filter((p): p is string => !!p);
  try {
    return require.resolve(moduleName, { paths });
  } catch {
    return undefined;
  }
}
