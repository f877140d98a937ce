import type { Request, Response } from 'express';
import { AlertQueries } from '@hub/alerts';
import { DomainError } from '@hub/kernel';
import type { ReadAccessService, ReadAuthorization } from '../../access/read-access.service';
import type { HubRuntime } from '../../runtime/hub-runtime';
import type { Logger } from '../../runtime/logger';
import { presentAlerts, recordAlertDisclosures } from './alert-disclosure';

const pollMs = 200;
const heartbeatMs = 15_000;

/**
 * Server-sent events of the caller's alerts as they are raised or change (`event: alert`, `id` = the
 * log position of the change, so a client reconnecting with Last-Event-ID misses nothing). Each
 * person-level alert sent is written to the disclosure log, like a read.
 *
 * The stream is a read that goes on, so it is authorized again before every poll (`authorize(true)`, from
 * the agreements and the hub's clock of that moment): once the agreement is suspended, terminated or
 * past its effectiveTo, the stream sends `event: error` with the refusal's code and ends, sending
 * nothing more under the grant it connected with.
 */
export async function streamAlerts(hub: HubRuntime, access: ReadAccessService, authorize: (renewal: boolean) => Promise<ReadAuthorization>, request: Request, response: Response, logger: Logger): Promise<void> {
  let auth = await authorize(false);
  const queries = new AlertQueries(hub.database);
  const lastEventId = Number(request.headers['last-event-id']);
  let after = Number.isSafeInteger(lastEventId) && lastEventId > 0 ? lastEventId : await queries.lastChange();
  response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  response.write(`: alerts for ${auth.recipient} (${auth.purpose})\n\n`);
  let open = true;
  let lastWrite = Date.now();
  request.on('close', () => {
    open = false;
  });
  while (open) {
    try {
      auth = await authorize(true);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      logger.debug({ recipient: auth.recipient, purpose: auth.purpose, code: error.code }, 'alert stream ended: access refused');
      if (open) response.write(`event: error\ndata: ${JSON.stringify({ code: error.code, message: error.message })}\n\n`);
      break;
    }
    try {
      const changed = await queries.list({ recipient: auth.recipient, purpose: auth.purpose, changedAfter: after, limit: 100 });
      const visible = presentAlerts(changed, auth, await access.erasedAmong(changed.map((a) => a.personRef)));
      await recordAlertDisclosures(access, auth, visible);
      for (const alert of changed) {
        const shown = visible.find((v) => v.alert.id === alert.id);
        if (shown && open) response.write(`id: ${alert.updatedSeq}\nevent: alert\ndata: ${JSON.stringify(shown.alert)}\n\n`);
        after = Math.max(after, alert.updatedSeq);
      }
      if (changed.length > 0) lastWrite = Date.now();
      if (Date.now() - lastWrite > heartbeatMs && open) {
        response.write(': still here\n\n');
        lastWrite = Date.now();
      }
    } catch (error) {
      logger.error({ err: { name: (error as Error).name, message: (error as Error).message } }, 'alert stream failed');
      break;
    }
    if (open) await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  response.end();
}
