import { nameBasedId, outboundEvent } from './outbound-event';

describe('outbound events', () => {
  it('derives the same version-5 UUID from the same trigger, and another from another', () => {
    const id = nameBasedId('receipt:cdp.inbound.police-northshire/0/41');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(nameBasedId('receipt:cdp.inbound.police-northshire/0/41')).toBe(id);
    expect(nameBasedId('receipt:cdp.inbound.police-northshire/0/42')).not.toBe(id);
  });

  it('is a structured-mode CloudEvent from hub:<area>, with a subject only when given', () => {
    const event = outboundEvent({ id: 'e1', areaId: 'northshire', type: 'hub.ingest.receipt.v1', time: '2026-11-02T09:30:00.000Z', data: { outcome: 'accepted' } });
    expect(event).toEqual({
      specversion: '1.0', id: 'e1', source: 'hub:northshire', type: 'hub.ingest.receipt.v1',
      time: '2026-11-02T09:30:00.000Z', datacontenttype: 'application/json', data: { outcome: 'accepted' },
    });
    expect(outboundEvent({ id: 'e2', areaId: 'northshire', type: 't', time: 'x', subject: 'P-1', data: {} }).subject).toBe('P-1');
  });
});
