export * from './disruption-budget';
export * from './horizontal-autoscaler';
export * from './service-workload';
export * from './rollout';
export * from './canary-deployment';
