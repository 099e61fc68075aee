// The loyalty rules layer: pure functions over plain data, no I/O, no clock.
export * from './types';
export * from './refusal';
export * from './time';
export * from './money';
export * from './rules';
export * from './tiers';
export * from './points';
export * from './draw';
export * from './benefits';
export * from './exchange';
export * from './offlineRisk';
export * from './earnLimits';
