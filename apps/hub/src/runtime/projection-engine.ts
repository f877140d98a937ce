import { analyzeGrownTables } from '@hub/database';
import { type Projection, ProjectionRunner, rebuildProjection, type RebuildResult } from '@hub/projections';
import type { HubRuntime } from './hub-runtime';

/** The hub's own schemas whose tables grow with the log (the projections' are kept by their runners). */
const coreSchemas = ['event_store', 'security', 'sharing', 'outbox', 'ingest'];

/** How often a live engine looks for grown tables in `coreSchemas`. */
const coreStatisticsIntervalMs = 30_000;

/**
 * Runs the hub's projections: live (server, projector), catch-up before a CLI read, and rebuild
 * (`hub replay`). In live mode each projection has one active runner across all processes.
 */
export class ProjectionEngine {
  private readonly runners: ProjectionRunner[];
  private statistics: NodeJS.Timeout | undefined;

  constructor(private readonly hub: HubRuntime, readonly projections: readonly Projection[], options: { idlePollMs?: number; tickIntervalMs?: number; batchSize?: number } = {}) {
    this.runners = projections.map((projection) => new ProjectionRunner(hub.database, hub.store, projection, {
      clock: hub.clock,
      ...options,
      onError: (error, name) => hub.logger.error({ projection: name, err: describeError(error) }, 'projection failed; retrying'),
      onProgress: (name, last) => hub.logger.debug({ projection: name, position: last.globalPosition }, 'projection page applied'),
      onStatistics: (name, tables) => hub.logger.debug({ projection: name, tables }, 'grown projection tables analyzed'),
    }));
  }

  async startLive(): Promise<void> {
    for (const runner of this.runners) await runner.start();
    this.statistics = setInterval(() => void this.keepCoreStatistics(), coreStatisticsIntervalMs);
    this.statistics.unref();
  }

  /**
   * The log, the subjects' keys and the disclosure log grow by every event; autovacuum may be slow to
   * analyze them or off (as on this project's development machines), and without statistics the
   * planner takes a lookup of a batch's ids for most of the table (\`analyzeGrownTables\`). Checked
   * from every live process (two may now and then analyze the same table; that is harmless).
   */
  async keepCoreStatistics(): Promise<void> {
    try {
      for (const schema of coreSchemas) {
        const tables = await analyzeGrownTables(this.hub.database, schema);
        if (tables.length > 0) this.hub.logger.debug({ schema, tables }, 'grown tables analyzed');
      }
    } catch (error) {
      this.hub.logger.warn({ err: describeError(error) }, 'could not analyze grown tables; retrying later');
    }
  }

  /** Which projections this process leads now (live mode): for health endpoints and failover checks. */
  leadership(): { name: string; leader: boolean }[] {
    return this.runners.map((runner) => ({ name: runner.projection.name, leader: runner.isLeader }));
  }

  async stop(): Promise<void> {
    clearInterval(this.statistics);
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }

  /**
   * Brings the named projections (all by default) up to the head of the log, in dependency order;
   * processors with time-based work (alerts) then run it once from the hub's clock, so a CLI read
   * sees what is due now.
   */
  async catchUp(names?: readonly string[]): Promise<void> {
    for (const runner of this.runners) {
      if (!names || names.includes(runner.projection.name)) {
        await runner.catchUp(undefined, { tick: true });
        this.hub.logger.debug({ projection: runner.projection.name }, 'projection caught up');
      }
    }
  }

  async rebuild(): Promise<RebuildResult[]> {
    const results: RebuildResult[] = [];
    for (const projection of this.projections) {
      const result = await rebuildProjection(this.hub.database, this.hub.store, projection, this.hub.clock);
      this.hub.logger.debug({ ...result }, 'projection rebuilt');
      results.push(result);
    }
    return results;
  }
}

function describeError(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
}
