import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AreaConfig } from '@hub/kernel';
import { noAudience, type AlertTrigger } from '../alert';
import { candidateAgencies, routeAlert } from './alert-routing';

const area = JSON.parse(readFileSync(join(__dirname, '../../../sharing/test/fixtures/area.json'), 'utf8')) as AreaConfig;
const context = { agencies: area.agencies, agreements: area.agreements, on: '2025-03-08' };
const overdoseRecord = { recordKey: 'k1', provider: 'nhs-northshire-ambulance', type: 'nhs.non-fatal-overdose.recorded.v1' };
const releaseRecord = { recordKey: 'k2', provider: 'prison-hmp-northgate', type: 'prison.release.recorded.v1' };

function trigger(overrides: Partial<AlertTrigger>): AlertTrigger {
  return {
    alertId: 'a', code: 'POST_RELEASE_OVERDOSE', priority: 'high', purpose: 'near-miss-alerting', personLevel: true,
    triggers: [overdoseRecord, releaseRecord], localAuthority: 'E06000901', occurredOn: '2025-03-08', details: {}, audience: noAudience, ...overrides,
  };
}

describe('alert routing', () => {
  it('turns a referral provider code into its agency, and the licence fallback into the area probation service', () => {
    expect(candidateAgencies(trigger({ audience: { ...noAudience, treatmentProviderIds: ['CDA'], areaProbationFallback: true } }), area.agencies))
      .toEqual(['treatment-corbury-cgl', 'probation-northshire']);
  });

  it('sends to the candidates the agreement names as recipients, with the clause that allows it', () => {
    const routing = routeAlert(trigger({ audience: { ...noAudience, treatment: ['treatment-northshire-recovery'], probation: ['probation-northshire'] } }), context);
    expect(routing.recipients).toEqual(['treatment-northshire-recovery', 'probation-northshire']);
    expect(routing.grants).toEqual([
      { recipient: 'treatment-northshire-recovery', agreementId: 'dsa-northshire-cdp', clause: 'dsa-northshire-cdp v1 / near-miss-alerting', personLevel: true },
      { recipient: 'probation-northshire', agreementId: 'dsa-northshire-cdp', clause: 'dsa-northshire-cdp v1 / near-miss-alerting', personLevel: true },
    ]);
  });

  it('never sends to an agency the agreement does not name, nor before it takes effect', () => {
    const toPrison = trigger({ audience: { ...noAudience, treatment: ['prison-hmp-northgate', 'treatment-corbury-cgl'] } });
    expect(routeAlert(toPrison, context).recipients).toEqual(['treatment-corbury-cgl']);
    expect(routeAlert(toPrison, { ...context, on: '2023-12-31' }).recipients).toEqual([]);
  });

  it('needs a grant for every kind of record the alert is made of', () => {
    const coronerData = trigger({ triggers: [overdoseRecord, { recordKey: 'k3', provider: 'coroner-northshire', type: 'coroner.inquest.concluded.v1' }], audience: { ...noAudience, treatment: ['treatment-northshire-recovery'] } });
    expect(routeAlert(coronerData, context).recipients).toEqual([]);
  });

  it('routes an overdose cluster to the local drug information panel only', () => {
    const cluster = trigger({ code: 'OVERDOSE_CLUSTER', personLevel: false, triggers: [overdoseRecord], audience: { ...noAudience, drugInformationPanel: true } });
    expect(routeAlert(cluster, context).recipients).toEqual(['ldis-northshire']);
  });

  it('routes ENGAGEMENT_AT_RISK under continuity-of-care', () => {
    const atRisk = trigger({ code: 'ENGAGEMENT_AT_RISK', purpose: 'continuity-of-care', triggers: [releaseRecord], audience: { ...noAudience, treatmentProviderIds: ['NRP'], areaProbationFallback: true } });
    const routing = routeAlert(atRisk, context);
    expect(routing.recipients).toEqual(['treatment-northshire-recovery', 'probation-northshire']);
    expect(routing.grants[0]!.clause).toBe('dsa-northshire-cdp v1 / continuity-of-care');
  });
});
