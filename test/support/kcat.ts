import { execFile, spawnSync } from 'node:child_process';

/** Why kcat cannot be used here, or undefined when it can. With HUB_REQUIRE_SERVICES=1 a missing kcat fails the run. */
export function kcatMissing(): string | undefined {
  if (!spawnSync('kcat', ['-V']).error) return undefined;
  const reason = 'kcat is not installed (apt-get install -y kcat)';
  if (process.env.HUB_REQUIRE_SERVICES === '1') throw new Error(`HUB_REQUIRE_SERVICES=1 and ${reason}`);
  console.warn(`!! KCAT TESTS NOT RUN: ${reason}`);
  return reason;
}

/** Runs kcat with `input` on stdin; resolves with its stdout. */
export function kcat(args: readonly string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kcat', [...args], { timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`kcat ${args.join(' ')} failed: ${stderr}`)) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}
