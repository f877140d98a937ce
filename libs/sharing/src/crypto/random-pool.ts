import { randomFillSync } from 'node:crypto';

const poolBytes = 64 * 1024;
let pool = Buffer.allocUnsafe(0);
let offset = 0;

/**
 * Cryptographically random bytes from the same CSPRNG as `randomBytes`, drawn from a pool filled
 * 64 KiB at a time: ingest seals one IV per event and one key per new subject, and a system call
 * per draw costs more than the encryption. Each pool is filled once and never rewritten, so a
 * returned view stays valid (and unique) for as long as its caller holds it.
 */
export function randomBytesFromPool(size: number): Buffer {
  if (size > poolBytes / 4) return randomFillSync(Buffer.allocUnsafe(size));
  if (offset + size > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(poolBytes));
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + size);
  offset += size;
  return bytes;
}
