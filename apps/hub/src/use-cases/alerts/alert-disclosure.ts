import type { AlertView } from '@hub/alerts';
import { type AccessGranted, redact } from '@hub/sharing';
import type { ReadAccessService, ReadAuthorization } from '../../access/read-access.service';

/** An alert as its recipient sees it over HTTP: person-level details only as their grants allow. */
export interface PresentedAlert {
  readonly id: string;
  readonly code: AlertView['code'];
  readonly priority: AlertView['priority'];
  readonly status: AlertView['status'];
  readonly raisedAt: string;
  readonly occurredOn: string;
  readonly purpose: AlertView['purpose'];
  readonly personRef: string | null;
  /** The person was erased (`hub erase`): the alert still counts, their personal data is gone. */
  readonly personErased: boolean;
  readonly localAuthority: string | null;
  readonly recipients: readonly string[];
  readonly details: Readonly<Record<string, unknown>>;
  /** Names (never values) of the alert's details the agreements do not share with this recipient. */
  readonly withheld: readonly string[];
  readonly acknowledgements: AlertView['acknowledgements'];
  readonly resolution: AlertView['resolution'];
  readonly closure: AlertView['closure'];
}

interface Visible {
  readonly alert: PresentedAlert;
  /** The grant of the alert's main record: the clause named in the disclosure log. */
  readonly grant: AccessGranted;
}

/**
 * What the caller may see of each alert sent to them, checked again today: a grant for every kind
 * of record the alert is made of (person-level grants for person-level alerts), details redacted
 * per grant. Alerts whose grants have lapsed since they were raised are left out.
 */
export function presentAlerts(alerts: readonly AlertView[], auth: ReadAuthorization, erased: ReadonlySet<string> = new Set()): Visible[] {
  return alerts.flatMap((alert) => {
    const grants = alert.triggers.map((t) => auth.grant(t.provider, t.type));
    if (grants.length === 0 || grants.some((g) => g === undefined)) return [];
    const granted = grants as AccessGranted[];
    const personLevel = alert.personRef !== null;
    if (personLevel && !granted.every((g) => g.personLevel)) return [];
    const details = personLevel
      ? Object.assign({}, ...granted.map((g) => redact({ ...alert.details }, g) ?? {})) as Record<string, unknown>
      : alert.details;
    const withheld = Object.keys(alert.details).filter((field) => !(field in details));
    const { triggers: _triggers, grants: _grants, updatedSeq: _seq, ...shown } = alert;
    return [{ alert: { ...shown, personErased: alert.personRef !== null && erased.has(alert.personRef), details, withheld }, grant: granted[0]! }];
  });
}

/** Every person-level alert shown goes to the disclosure log (channel `alert`), one entry per clause. */
export async function recordAlertDisclosures(access: ReadAccessService, auth: ReadAuthorization, visible: readonly Visible[]): Promise<void> {
  const byClause = new Map<string, { grant: AccessGranted; personRefs: string[]; fields: Set<string> }>();
  for (const { alert, grant } of visible) {
    if (alert.personRef === null) continue;
    const entry = byClause.get(grant.clause) ?? { grant, personRefs: [], fields: new Set(['personRef']) };
    entry.personRefs.push(alert.personRef);
    for (const field of Object.keys(alert.details)) entry.fields.add(field);
    byClause.set(grant.clause, entry);
  }
  for (const { grant, personRefs, fields } of byClause.values()) {
    await access.recordDisclosure(auth, grant, { personRefs, fields: [...fields], channel: 'alert' });
  }
}
