export { simulate, simulateWithTruth } from './simulate';
export { toNdjsonLine } from './ndjson';
export type { GroundTruthEntry, NoiseOptions, SimulationOptions } from './simulation-options';
export { defaultNoise, noiseModels } from './simulation-options';
