import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { findContractsDir } from './contract-files';
import { ContractRegistry } from './contract-registry';

const repoRoot = dirname(findContractsDir());
const scenariosDir = resolve(repoRoot, '..', 'shared', 'scenarios');
const registry = ContractRegistry.load();

describe('shared scenarios hold to the contracts', () => {
  const lines = readFileSync(resolve(scenariosDir, 'continuity-basic.ndjson'), 'utf8').split('\n')
    .map((text, index) => ({ line: index + 1, text })).filter(({ text }) => text.trim() !== '');

  it('continuity-basic.ndjson is not empty', () => {
    expect(lines.length).toBeGreaterThan(0);
  });

  it.each(lines.map(({ line, text }) => [line, text] as const))('continuity-basic.ndjson line %i is a valid event', (_line, text) => {
    const event = JSON.parse(text) as { type: string; data: unknown };
    expect(registry.validateEnvelope(event)).toEqual([]);
    expect(registry.hasDataSchema(event.type)).toBe(true);
    expect(registry.validateData(event.type, event.data)).toEqual([]);
  });

  it('area.json is a valid area configuration', () => {
    const config: unknown = JSON.parse(readFileSync(resolve(scenariosDir, 'area.json'), 'utf8'));
    expect(registry.validateAreaConfig(config)).toEqual([]);
  });
});
