import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { londonDateOf } from '@hub/kernel';
import { agreementList, retentionOf } from '@hub/sharing';
import { HubRuntime } from '../../runtime/hub-runtime';
import { type RetentionResult, RunRetentionCommand } from './run-retention.command';

const pageSize = 5000;

/**
 * Retention by crypto-shredding: every agency event still holding sealed personal fields
 * (`$sealed`) is checked against the agreements (`retentionOf`); those past their period lose the
 * token (`$shredded: retention`), page by page, each page in its own transaction. A stream left
 * with no sealed event then loses its key. A second run finds nothing to do. Business data
 * (dates, codes) stays, so counts and reports are unchanged.
 */
@CommandHandler(RunRetentionCommand)
export class RunRetentionHandler implements ICommandHandler<RunRetentionCommand> {
  constructor(private readonly hub: HubRuntime) {}

  async execute(): Promise<RetentionResult> {
    const today = londonDateOf(this.hub.clock.now());
    const agreements = agreementList(await this.hub.directories.current());
    let checked = 0;
    let eventsShredded = 0;
    let withoutRule = 0;
    const touchedStreams = new Set<string>();
    for (let after = 0; ;) {
      const { rows } = await this.hub.database.query<{
        global_position: string; stream_id: string; source: string; type: string; occurred_at: Date; retracted_type: string | null;
      }>(
        `SELECT global_position, stream_id, source, type, occurred_at, data->>'retractedType' AS retracted_type
         FROM event_store.events WHERE global_position > $1 AND data ? '$sealed' ORDER BY global_position LIMIT $2`,
        [after, pageSize],
      );
      if (rows.length === 0) break;
      after = Number(rows[rows.length - 1]!.global_position);
      checked += rows.length;
      const due: number[] = [];
      for (const row of rows) {
        const decision = retentionOf(agreements, {
          provider: row.source.replace(/^agency:/, ''), eventType: row.type, occurredOn: londonDateOf(row.occurred_at),
          ...(row.retracted_type ? { retractedType: row.retracted_type } : {}),
        }, today);
        if (decision.kind === 'no-rule') withoutRule += 1;
        else if (decision.kind === 'shred') {
          due.push(Number(row.global_position));
          touchedStreams.add(row.stream_id);
        }
      }
      eventsShredded += await this.hub.database.transaction((client) => this.hub.vault.shredEvents(client, due, 'retention'));
    }
    const streams = [...touchedStreams];
    let keysDeleted = 0;
    for (let i = 0; i < streams.length; i += 1000) {
      const batch = streams.slice(i, i + 1000);
      keysDeleted += await this.hub.database.transaction((client) => this.hub.vault.dropKeysOfShreddedStreams(client, batch));
    }
    const result = { on: today, checked, eventsShredded, keysDeleted, withoutRule };
    this.hub.logger.info(result, 'retention run');
    return result;
  }
}
