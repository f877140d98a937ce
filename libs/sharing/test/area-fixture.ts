import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AreaConfig } from '@hub/kernel';

/**
 * A verbatim copy of shared/scenarios/area.json (the Northshire agreement), kept in the repo
 * so the tests do not depend on a path outside it.
 */
export function loadArea(): AreaConfig {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', 'area.json'), 'utf8')) as AreaConfig;
}
