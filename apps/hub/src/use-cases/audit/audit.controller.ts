import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@hub/kernel';
import type { Principal } from '@hub/security';
import { type AuditLogEntry, type ChainVerification, DisclosureLogRepository } from '@hub/sharing';
import { CurrentPrincipal } from '../../http/principal.decorator';
import { type GovernancePurpose, OversightPurpose } from '../../http/purpose.decorator';
import { HubRuntime } from '../../runtime/hub-runtime';

/**
 * The disclosure log for data protection officers (purpose `data-protection`): an agency's DPO sees
 * every disclosure made to their agency; the hub administrator sees the whole log, erasures
 * included, and may have the chain verified. Entries hold pseudonymous personRefs and field names only.
 */
@ApiTags('audit')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Purpose', description: 'data-protection (or ?purpose=)', required: true })
@Controller('v1/audit')
export class AuditController {
  private readonly log: DisclosureLogRepository;

  constructor(hub: HubRuntime) {
    this.log = new DisclosureLogRepository(hub.database);
  }

  @Get()
  @ApiOperation({ summary: 'Disclosure log entries: disclosures to the caller\'s agency (administrator: all), oldest first' })
  @ApiQuery({ name: 'after', required: false, description: 'entries after this sequence' })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000, default 100' })
  @ApiQuery({ name: 'personRef', required: false })
  async list(@CurrentPrincipal() principal: Principal, @OversightPurpose({ sharing: false }) _purpose: GovernancePurpose, @Query() query: Record<string, unknown>): Promise<{ entries: AuditLogEntry[]; next: number | null }> {
    const after = wholeNumber(query.after, 'after', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const limit = wholeNumber(query.limit, 'limit', 1, 1000) ?? 100;
    const personRef = typeof query.personRef === 'string' ? query.personRef : undefined;
    const admin = principal.role === 'hub-admin';
    const entries = await this.log.list({
      afterSequence: after, limit, ...(personRef ? { personRef } : {}), ...(admin ? {} : { recipient: principal.agencyId }),
    });
    return { entries, next: entries.length === limit ? entries[entries.length - 1]!.sequence : null };
  }

  @Get('verify')
  @ApiOperation({ summary: 'Recompute the hash chain (hub administrator): ok, or the first broken entry' })
  async verify(@CurrentPrincipal() principal: Principal, @OversightPurpose({ sharing: false }) _purpose: GovernancePurpose): Promise<ChainVerification & { entries: number }> {
    if (principal.role !== 'hub-admin') throw new DomainError('ACCESS.DENIED', 'only the hub administrator verifies the whole disclosure log (hub audit verify)');
    return this.log.verify();
  }
}

function wholeNumber(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new DomainError('REQUEST.INVALID_QUERY', `${field}: ${JSON.stringify(value)} must be a whole number from ${min} to ${max}`);
  return n;
}
