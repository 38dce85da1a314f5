export * from './rules/gateway';
