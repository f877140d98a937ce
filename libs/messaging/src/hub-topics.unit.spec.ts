import { HubTopics } from './hub-topics';

describe('HubTopics', () => {
  const topics = new HubTopics();

  it('names the three topics of an agency under the cdp prefix', () => {
    expect(topics.inbound('prison-hmp-northgate')).toBe('cdp.inbound.prison-hmp-northgate');
    expect(topics.rejected('prison-hmp-northgate')).toBe('cdp.rejected.prison-hmp-northgate');
    expect(topics.outbound('prison-hmp-northgate')).toBe('cdp.outbound.prison-hmp-northgate');
  });

  it('reads the agency off an inbound topic, and only off an inbound topic', () => {
    expect(topics.agencyOfInbound('cdp.inbound.police-northshire')).toBe('police-northshire');
    expect(topics.agencyOfInbound('cdp.outbound.police-northshire')).toBeUndefined();
    expect(topics.agencyOfInbound('cdp.inbound.kcat.lz3-abc')).toBeUndefined();
    expect(topics.agencyOfInbound('cdpxinbound.police')).toBeUndefined();
    expect(topics.agencyOfInbound('other.cdp.inbound.police')).toBeUndefined();
  });

  it('keeps a test prefix apart from production topics', () => {
    const test = new HubTopics('t-1a2b.cdp');
    expect(test.inbound('nhs-northshire')).toBe('t-1a2b.cdp.inbound.nhs-northshire');
    expect(test.inboundPattern.test('cdp.inbound.nhs-northshire')).toBe(false);
    expect(test.agencyOfInbound('t-1a2b.cdp.inbound.nhs-northshire')).toBe('nhs-northshire');
  });

  it('refuses names Kafka or the area configuration would not accept', () => {
    expect(() => new HubTopics('cdp inbound')).toThrow(/Invalid topic prefix "cdp inbound"/);
    expect(() => topics.inbound('Prison HMP')).toThrow(/Invalid agency id "Prison HMP"/);
  });
});
