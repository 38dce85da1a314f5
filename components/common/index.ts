export * from './checksum';
export * from './labels';
export * from './pod-hardening';
export * from './policy-exception';
export * from './platform-namespace';
export * from './namespaced-object';
export * from './first-repeated';
export * from './custom-resource';
