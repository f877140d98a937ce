import type { Agency, AgreementPurpose } from '@hub/kernel';
import { anAgreement } from '../agreement/agreement.fixtures.spec';
import { isNhsBody, masked, optOutProviders, parseOptOutFile } from './national-data-opt-out.rules';

const agencies: Agency[] = [
  { id: 'prison-hmp-northgate', kind: 'prison', name: 'HMP Northgate', prisonId: 'NGI' },
  { id: 'nhs-corbury-hospital', kind: 'nhs', name: 'Corbury General Hospital' },
  { id: 'treatment-nhs-trust', kind: 'treatment', name: 'Northshire NHS Trust drug service', providerId: 'NTT', nhsBody: true },
  { id: 'treatment-corbury-cgl', kind: 'treatment', name: 'Corbury Drug and Alcohol Service', providerId: 'CDA' },
];
const clause = (purpose: AgreementPurpose['purpose'], recipients: string[]): AgreementPurpose => ({
  purpose, lawfulBasis: 'Art 6(1)(e)', providers: agencies.map((a) => a.id), recipients, eventTypes: ['*'], personLevel: purpose !== 'aggregate-reporting', retentionDays: 365,
});
const dsa = anAgreement({ purposes: [clause('aggregate-reporting', ['la-northshire-public-health']), clause('continuity-of-care', ['probation-northshire'])] });
const on = '2026-03-02';

describe('which data the National Data Opt-out leaves out', () => {
  it('Given an NHS trust running a treatment service, When asked, Then it is an NHS body like an agency of kind nhs; a voluntary-sector service is not', () => {
    expect(agencies.map((a) => [a.id, isNhsBody(a)])).toEqual([
      ['prison-hmp-northgate', false], ['nhs-corbury-hospital', true], ['treatment-nhs-trust', true], ['treatment-corbury-cgl', false],
    ]);
  });

  it('Given an agreement that respects the opt-out, When aggregate reporting reads, Then the NHS bodies it names as providers are left out for opted-out people', () => {
    expect(optOutProviders(agencies, [dsa], { purpose: 'aggregate-reporting', on })).toEqual(['nhs-corbury-hospital', 'treatment-nhs-trust']);
    expect(optOutProviders(agencies, [dsa], { purpose: 'aggregate-reporting', on, recipient: 'la-northshire-public-health' }))
      .toEqual(['nhs-corbury-hospital', 'treatment-nhs-trust']);
  });

  it.each(['continuity-of-care', 'near-miss-alerting', 'drd-review'] as const)(
    'Given the same agreement, When the purpose is %s (direct care or safeguarding), Then nothing is left out',
    (purpose) => {
      expect(optOutProviders(agencies, [dsa], { purpose, on })).toEqual([]);
    },
  );

  it('Given an agreement that does not respect the opt-out, When aggregate reporting reads, Then nothing is left out', () => {
    expect(optOutProviders(agencies, [{ ...dsa, respectsNationalDataOptOut: false }], { purpose: 'aggregate-reporting', on })).toEqual([]);
  });

  it('Given a respecting agreement that is suspended, or not for this recipient, When aggregate reporting reads, Then it governs nothing', () => {
    expect(optOutProviders(agencies, [{ ...dsa, status: 'suspended' }], { purpose: 'aggregate-reporting', on })).toEqual([]);
    expect(optOutProviders(agencies, [dsa], { purpose: 'aggregate-reporting', on, recipient: 'police-northshire' })).toEqual([]);
  });

  it('Given an NHS body named only by a non-respecting agreement, When another agreement respects the opt-out, Then only the bodies the respecting one governs are left out', () => {
    const other = anAgreement({ id: 'dsa-hospital', respectsNationalDataOptOut: false, purposes: [{ ...clause('aggregate-reporting', ['la-northshire-public-health']), providers: ['nhs-corbury-hospital'] }] });
    const respecting = anAgreement({ purposes: [{ ...clause('aggregate-reporting', ['la-northshire-public-health']), providers: ['treatment-nhs-trust'] }] });
    expect(optOutProviders(agencies, [other, respecting], { purpose: 'aggregate-reporting', on })).toEqual(['treatment-nhs-trust']);
  });
});

describe('the opt-out register file', () => {
  it('Given numbers, comments and blank lines, When parsed, Then it keeps each valid number once, digits only, and counts the lines', () => {
    const file = '# NHS Digital MESH extract 2026-03-01\n\n943 476 5919\n9434765870  # added in March\n9434765919\r\n';
    expect(parseOptOutFile(file)).toEqual({ nhsNumbers: ['9434765919', '9434765870'], lines: 3, errors: [] });
  });

  it('Given bad lines, When parsed, Then each is reported by line number without the number in full', () => {
    const file = ['9434765919', '9434765918', '943476591', 'ABC1234567', '94347659190'].join('\n');
    const { nhsNumbers, errors } = parseOptOutFile(file);
    expect(nhsNumbers).toEqual(['9434765919']);
    expect(errors).toEqual([
      { line: 2, message: 'line 2: "943*******" fails the NHS number check digit' },
      { line: 3, message: 'line 3: "943******" has 9 digits, not 10' },
      { line: 4, message: 'line 4: "ABC*******" is not an NHS number (digits only, 10 of them)' },
      { line: 5, message: 'line 5: "943********" has 11 digits, not 10' },
    ]);
    expect(JSON.stringify(errors)).not.toMatch(/4765918|476591[^9]|1234567|34765919/);
  });

  it('Given a check digit that would be 10, When parsed, Then the number is refused', () => {
    // 1000000010: weights 10..2 give 0*... + 1*10 + 1*2 = 12, 12 % 11 = 1, check 10: never a valid NHS number.
    expect(parseOptOutFile('1000000010\n').errors).toEqual([{ line: 1, message: 'line 1: "100*******" fails the NHS number check digit' }]);
  });

  it('masks short values entirely', () => {
    expect(masked('12')).toBe('"**"');
  });
});
