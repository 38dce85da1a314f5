export * from './schema/gateway';
