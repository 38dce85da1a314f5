export * from './authorization-policy';
export * from './namespace-isolation';
export * from './network-access';
