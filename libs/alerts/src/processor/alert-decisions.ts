import type { AppendRequest, NewEvent } from '@hub/event-store';
import { type Agency, londonDateOf } from '@hub/kernel';
import type { PolicyAgreement } from '@hub/sharing';
import { deterministicId } from '@hub/timeline';
import { type AlertEvent, type AlertRaisedData, alertStoreTypes, alertStreamId } from '../alert.events';
import { routeAlert } from '../routing/alert-routing';
import type { RaisedFinding, ResolvedFinding } from '../rules/person-sweep';

const hubSource = 'hub';

/** The area as routing needs it, read once per page and only when something is raised. */
export interface RoutingDirectory {
  readonly agencies: readonly Agency[];
  readonly agreements: readonly PolicyAgreement[];
}

/**
 * What one page of the processor decided, in order, as alert events with ids named by their trigger
 * (`hub.alert.raised.v1` + alert id): appending them again is a duplicate, never a second alert.
 */
export class AlertDecisions {
  private readonly byAlert = new Map<string, AlertEvent[]>();

  get size(): number {
    return this.byAlert.size;
  }

  has(alertId: string): boolean {
    return this.byAlert.has(alertId);
  }

  raise(finding: RaisedFinding, personRef: string | null, directory: RoutingDirectory): AlertRaisedData {
    const { trigger, raisedAt } = finding;
    const routing = routeAlert(trigger, { ...directory, on: londonDateOf(new Date(raisedAt)) });
    const data: AlertRaisedData = {
      alertId: trigger.alertId, code: trigger.code, priority: trigger.priority, purpose: trigger.purpose,
      personRef: trigger.personLevel ? personRef : null, localAuthority: trigger.localAuthority, raisedAt, occurredOn: trigger.occurredOn,
      triggers: trigger.triggers, recipients: routing.recipients, grants: routing.grants, details: trigger.details,
    };
    this.push(trigger.alertId, { type: 'AlertRaised', data });
    return data;
  }

  resolve(finding: ResolvedFinding): void {
    this.push(finding.alertId, { type: 'AlertResolved', data: { alertId: finding.alertId, reason: finding.reason, resolvedAt: finding.resolvedAt } });
  }

  events(): AlertEvent[] {
    return [...this.byAlert.values()].flat();
  }

  toAppendRequests(): AppendRequest[] {
    return [...this.byAlert].map(([alertId, events]) => ({
      streamId: alertStreamId(alertId), expectedVersion: 'any' as const, events: events.map(toNewEvent),
    }));
  }

  private push(alertId: string, event: AlertEvent): void {
    this.byAlert.set(alertId, [...(this.byAlert.get(alertId) ?? []), event]);
  }
}

function toNewEvent(event: AlertEvent): NewEvent {
  const type = alertStoreTypes[event.type];
  const occurredAt = event.type === 'AlertRaised' ? event.data.raisedAt : event.type === 'AlertResolved' ? event.data.resolvedAt : event.data.at;
  return {
    eventId: deterministicId(type, event.data.alertId), type, source: hubSource, subject: null, occurredAt, data: event.data,
    metadata: { decidedBy: 'alert-processor' },
  };
}
