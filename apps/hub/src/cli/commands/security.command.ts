import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { DomainError } from '@hub/kernel';
import { DisclosureLogRepository } from '@hub/sharing';
import { ErasePersonCommand } from '../../use-cases/erasure/erase-person.command';
import { RunRetentionCommand } from '../../use-cases/retention/run-retention.command';
import { exitCodes, UsageError } from '../cli-error';
import { type StorageFlags, withHub } from '../hub-context';
import { printJson } from '../output';
import { positiveInteger } from './simulate.command';

/** Who runs a CLI command that changes security state: recorded with the change. */
export function cliOperator(): string {
  return `cli:${process.env.HUB_OPERATOR ?? userInfo().username}`;
}

/** `hub keys`, `hub admin-token`, `hub audit`, `hub erase`, `hub retention`: the hub's security operations (beyond SPEC section 8). */
export function registerSecurity(program: Command, flags: () => StorageFlags): void {
  const keys = program.command('keys').description('agencies\' token signing keys: rotation (two active per agency) and revocation');
  keys.command('add')
    .description('register the public half of a key an agency signs its own tokens with (ES256; JWK or SPKI PEM file)')
    .requiredOption('--agency <id>', 'agency id, as in area.json')
    .requiredOption('--public-key <file>', 'the public key: a P-256 JWK (JSON) or an SPKI PEM')
    .option('--kid <kid>', 'key id the agency puts in its tokens\' header (default: generated)')
    .requiredOption('--reason <text>', 'why (recorded with the key)')
    .action(async (options: { agency: string; publicKey: string; kid?: string; reason: string }) => {
      const publicKey = await readFile(options.publicKey, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`--public-key: cannot read ${JSON.stringify(options.publicKey)}: ${error.code ?? error.message}`);
      });
      const key = await withHub(flags(), async ({ hub }) => {
        const directory = await hub.directories.current();
        if (!directory.agencies.has(options.agency)) {
          throw new DomainError('AUTH.UNKNOWN_AGENCY', `--agency: ${JSON.stringify(options.agency)} is not an agency of this area`);
        }
        return hub.tokens.registerAgencyKey({ agencyId: options.agency, publicKey, ...(options.kid ? { kid: options.kid } : {}), by: cliOperator(), reason: options.reason });
      });
      printJson(key);
    });
  keys.command('revoke')
    .description('revoke a key at once: tokens it signed are refused from the next request on')
    .requiredOption('--kid <kid>', 'the key id')
    .requiredOption('--reason <text>', 'why (recorded with the key)')
    .action(async (options: { kid: string; reason: string }) => {
      printJson(await withHub(flags(), ({ hub }) => hub.tokens.revokeKey({ kid: options.kid, by: cliOperator(), reason: options.reason })));
    });
  keys.command('list')
    .description('every signing key: owner, status and changes (never key material)')
    .action(async () => printJson(await withHub(flags(), ({ hub }) => hub.tokens.listKeys())));

  program.command('admin-token')
    .description('print a hub administrator token (administers agreements, reads the whole disclosure log; sees no person data)')
    .option('--ttl <seconds>', 'lifetime in seconds (at most 8 hours)', positiveInteger('--ttl'), 3600)
    .action(async (options: { ttl: number }) => {
      if (options.ttl < 60 || options.ttl > 8 * 3600) throw new UsageError(`--ttl: ${options.ttl} must be between 60 and 28800 seconds`);
      const token = await withHub(flags(), ({ hub }) => hub.tokens.issueAdmin(options.ttl));
      process.stdout.write(`${token}\n`);
    });

  const audit = program.command('audit').description('the hash-chained disclosure log');
  audit.command('verify')
    .description('recompute the hash chain; exit 1 and name the first broken entry if it was altered')
    .action(async () => {
      const result = await withHub(flags(), ({ hub }) => new DisclosureLogRepository(hub.database).verify());
      printJson(result);
      if (!result.ok) process.exitCode = exitCodes.rejected;
    });
  audit.command('list')
    .description('entries of the log (pseudonymous personRefs and field names only)')
    .option('--person <ref>', 'entries naming this personRef')
    .option('--recipient <agency>', 'disclosures to this agency')
    .option('--after <sequence>', 'entries after this sequence', sequenceNumber, 0)
    .option('--limit <n>', 'at most this many', positiveInteger('--limit'), 100)
    .action(async (options: { person?: string; recipient?: string; after: number; limit: number }) => {
      printJson(await withHub(flags(), ({ hub }) => new DisclosureLogRepository(hub.database).list({
        afterSequence: options.after, limit: options.limit,
        ...(options.person ? { personRef: options.person } : {}), ...(options.recipient ? { recipient: options.recipient } : {}),
      })));
    });

  program.command('erase')
    .description('erase a person: delete the keys of every agency subject of theirs (crypto-shredding), record it in the log and the disclosure log')
    .requiredOption('--person <ref>', 'the personRef')
    .requiredOption('--reason <text>', 'why, e.g. the erasure request reference (kept with the tombstones, not in the log)')
    .action(async (options: { person: string; reason: string }) => {
      printJson(await withHub(flags(), ({ commands }) => commands.execute(new ErasePersonCommand(options.person, options.reason, cliOperator()))));
    });

  program.command('retention')
    .description('retention of personal data')
    .command('run')
    .description('shred personal fields of events past their agreement\'s retentionDays (idempotent; prints counts only)')
    .action(async () => {
      printJson(await withHub(flags(), ({ commands }) => commands.execute(new RunRetentionCommand())));
    });
}

function sequenceNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--after: ${JSON.stringify(value)} is not a sequence number (0 or more)`);
  return n;
}
