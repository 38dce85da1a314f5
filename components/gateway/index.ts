export * from './kong-declarative-config';
export * from './compose-config-script';
export * from './kong-gateway';
export * from './kong-pod';
export * from './public-certificate';
export * from './rate-limit-redis';
