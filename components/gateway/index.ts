export * from './kong-declarative-config';
export * from './kong-gateway';
export * from './rate-limit-redis';
