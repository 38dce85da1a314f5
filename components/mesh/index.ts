export * from './authorization-policy';
export * from './namespace-isolation';
export * from './network-access';
export * from './istio-helm-values';
export * from './istio-operator';
export * from './mesh-config';
export * from './peer-authentication';
export * from './service-access';
