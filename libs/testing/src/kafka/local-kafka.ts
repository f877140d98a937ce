import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where one local broker listens and keeps its data; defaults are the script's own. */
export interface LocalKafkaOptions {
  readonly port?: number;
  readonly controllerPort?: number;
  readonly dataDir?: string;
  /** Seconds the script waits for readiness. */
  readonly startTimeoutSeconds?: number;
}

const scriptRelativePath = join('deploy', 'local', 'kafka.sh');

/** The repo's `deploy/local/kafka.sh`, found by walking up from this file (src or dist). */
export function kafkaScriptPath(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, scriptRelativePath);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${scriptRelativePath} not found above ${__dirname}`);
  }
}

/** Starts (or finds running) a local broker through the script; resolves with its address. */
export async function startLocalKafka(options: LocalKafkaOptions = {}): Promise<{ brokers: string[] }> {
  const stdout = await runKafkaScript('start', options);
  const line = stdout.split('\n').find((l) => l.startsWith('KAFKA_BROKERS='));
  if (!line) throw new Error(`kafka.sh start printed no KAFKA_BROKERS line:\n${stdout}`);
  return { brokers: line.slice('KAFKA_BROKERS='.length).split(',') };
}

export async function stopLocalKafka(options: LocalKafkaOptions = {}): Promise<void> {
  await runKafkaScript('stop', options);
}

function runKafkaScript(command: 'start' | 'stop', options: LocalKafkaOptions): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.port !== undefined) env.KAFKA_PORT = String(options.port);
  if (options.controllerPort !== undefined) env.KAFKA_CONTROLLER_PORT = String(options.controllerPort);
  if (options.dataDir !== undefined) env.KAFKA_DATA_DIR = options.dataDir;
  if (options.startTimeoutSeconds !== undefined) env.KAFKA_START_TIMEOUT = String(options.startTimeoutSeconds);
  return new Promise((resolve, reject) => {
    // First use resolves the broker jars with mvn: allow minutes, not seconds.
    execFile('bash', [kafkaScriptPath(), command], { env, timeout: 300_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kafka.sh ${command} failed (${error.message.split('\n')[0]}):\n${stderr}`));
      else resolve(stdout);
    });
  });
}
