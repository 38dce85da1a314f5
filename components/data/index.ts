export * from './consul';
export * from './consul-kv-seed';
export * from './data-client';
export * from './redis-cluster';
export * from './redis-cluster-scripts';
export * from './redis-exporter';
