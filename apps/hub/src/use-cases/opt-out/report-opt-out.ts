import type { ReportOptOut } from '@hub/continuity';
import { readEntry } from '@hub/projections';
import { OptOutRegister } from '@hub/security';
import { agreementList, type OptOutScope, optOutProviders } from '@hub/sharing';
import type { HubRuntime } from '../../runtime/hub-runtime';

/**
 * The National Data Opt-out as an aggregate output applies it: the NHS bodies whose data the
 * governing agreements say to leave out (none for direct care or safeguarding purposes), and the
 * register as it stood at the report's instant. Undefined when nothing is to be left out.
 */
export async function reportOptOut(hub: HubRuntime, scope: OptOutScope): Promise<ReportOptOut | undefined> {
  const directory = await hub.directories.current();
  const nhsProviders = optOutProviders(directory.agencies.values(), agreementList(directory), scope);
  if (nhsProviders.length === 0) return undefined;
  return {
    nhsProviders,
    optedOutStreams: async (asOf) => {
      const identity = (await readEntry(hub.database, 'identity'))?.activeSchema;
      return identity ? new OptOutRegister(hub.database).streamsListedAt(identity, asOf) : new Set();
    },
  };
}
