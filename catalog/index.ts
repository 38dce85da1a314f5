export * from './diagnostics';
export * from './load';
export * from './model';
export * from './resolve';
export * from './schema';
export * from './telemetry';
export * from './principal';
export * from './resilience';
