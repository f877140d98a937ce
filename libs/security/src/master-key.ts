import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The hub's master key seals signing keys and per-person data keys. Embedded: a 0600 file in the
 * data directory, made on first use. Server mode: HUB_MASTER_KEY (32 bytes, base64url), or
 * HUB_MASTER_KEY_FILE. It is never logged.
 */
export async function loadMasterKey(source: { dataDir?: string; env?: NodeJS.ProcessEnv }): Promise<Buffer> {
  const env = source.env ?? process.env;
  if (env.HUB_MASTER_KEY) return decode(env.HUB_MASTER_KEY, 'HUB_MASTER_KEY');
  if (env.HUB_MASTER_KEY_FILE) return decode((await readFile(env.HUB_MASTER_KEY_FILE, 'utf8')).trim(), 'HUB_MASTER_KEY_FILE');
  if (!source.dataDir) {
    throw new Error('No master key: set HUB_MASTER_KEY (32 random bytes, base64url) or HUB_MASTER_KEY_FILE when using --database-url');
  }
  const file = join(source.dataDir, 'master.key');
  if (!existsSync(file)) {
    await writeFile(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  return decode((await readFile(file, 'utf8')).trim(), file);
}

function decode(text: string, where: string): Buffer {
  const key = Buffer.from(text, 'base64url');
  if (key.length !== 32) throw new Error(`The master key in ${where} must be 32 bytes, base64url-encoded (it has ${key.length})`);
  return key;
}
