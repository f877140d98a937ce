import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError, type Purpose, purposes } from '@hub/kernel';
import type { Principal } from '@hub/security';
import { ReadAccessService } from '../access/read-access.service';
import { HubRuntime } from '../runtime/hub-runtime';
import { csrfTokenFor, sessionTokenOf } from './session';
import { purposeNames } from './view-models/labels';

/** The purposes alerts are sent for (ENGAGEMENT_AT_RISK is continuity of care, the rest near-miss alerting). */
export const alertPurposes: readonly Purpose[] = ['near-miss-alerting', 'continuity-of-care'];
/** The continuity report is read for continuity of care (person-level recipients) or aggregate reporting (always with disclosure control). */
export const continuityPurposes: readonly Purpose[] = ['continuity-of-care', 'aggregate-reporting'];

export type Section = 'home' | 'alerts' | 'worklist' | 'continuity' | 'reviews' | 'agreements' | 'disclosures';

const sections: readonly { key: Section; text: string; href: string }[] = [
  { key: 'home', text: 'Overview', href: '/dashboard' },
  { key: 'alerts', text: 'Alerts', href: '/dashboard/alerts' },
  { key: 'worklist', text: 'Worklist', href: '/dashboard/worklist' },
  { key: 'continuity', text: 'Continuity of care', href: '/dashboard/continuity' },
  { key: 'reviews', text: 'Death review queue', href: '/dashboard/reviews' },
  { key: 'agreements', text: 'Agreements', href: '/dashboard/agreements' },
  { key: 'disclosures', text: 'Disclosure log', href: '/dashboard/disclosures' },
];

/** What every signed-in page shows: who you are, where you are, the form token, the navigation. */
@Injectable()
export class DashboardContext {
  constructor(private readonly hub: HubRuntime, private readonly access: ReadAccessService) {}

  async page(principal: Principal, request: Request, section: Section): Promise<Record<string, unknown>> {
    const directory = await this.hub.directories.current();
    const agency = directory.agencies.get(principal.agencyId);
    const session = sessionTokenOf(request);
    return {
      signedIn: true,
      agency: { id: principal.agencyId, name: agency?.name ?? principal.agencyId, kind: agency?.kind ?? 'unknown' },
      areaName: directory.area?.name ?? 'Combating Drugs Partnership',
      csrfToken: session ? csrfTokenFor(session) : '',
      navigation: sections.map((s) => ({ text: s.text, href: s.href, active: s.key === section, current: s.key === section && request.path === s.href })),
    };
  }

  /** The purposes the agreements make this agency a recipient for today (the same check every read makes). */
  async readablePurposes(principal: Principal): Promise<Purpose[]> {
    const readable: Purpose[] = [];
    for (const purpose of purposes) {
      try {
        await this.access.authorize(principal, purpose);
        readable.push(purpose);
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'ACCESS.DENIED')) throw error;
      }
    }
    return readable;
  }
}

/** A purpose chosen on a page (`?purpose=`), one of those the page reads for; else the first the reader may use. */
export function choosePurpose(value: unknown, pagePurposes: readonly Purpose[], readable: readonly Purpose[]): Purpose {
  if (value !== undefined && value !== '') {
    if (typeof value !== 'string' || !(pagePurposes as readonly string[]).includes(value)) {
      throw new DomainError('REQUEST.UNKNOWN_PURPOSE', `purpose: ${JSON.stringify(value)} is not one this page reads for (${pagePurposes.join(', ')})`);
    }
    return value as Purpose;
  }
  return pagePurposes.find((p) => readable.includes(p)) ?? pagePurposes[0]!;
}

export const purposeItems = (pagePurposes: readonly Purpose[], chosen: Purpose) =>
  pagePurposes.map((p) => ({ value: p, text: purposeNames[p], selected: p === chosen }));
