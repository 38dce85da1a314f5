export * from './consul';
export * from './consul-kv-seed';
export * from './data-client';
export * from './member-access';
export * from './member-set';
export * from './redis-cluster';
export * from './redis-cluster-scripts';
export * from './redis-exporter';
