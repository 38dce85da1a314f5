import { z } from 'zod';
import { envName, percent, positiveInt } from './fields';
import { resilienceDefaults } from './resilience';
import { probe, resources } from './workload';

/** `defaults`: what every service gets where it sets nothing of its own. */
export const defaultsSection = z.strictObject({
  /** Plain environment variables every service gets; a service's own `env` wins. */
  env: z.record(envName, z.string()).optional(),
  resources,
  probes: z.strictObject({
    startup: probe,
    readiness: probe,
    liveness: probe,
  }),
  autoscaling: z.strictObject({
    minReplicas: positiveInt,
    maxReplicas: positiveInt,
    cpuUtilization: percent,
    memoryUtilization: percent,
  }),
  /** Timeouts, retries, connection pools and ejection; the code's defaults (catalog/resilience.ts) fill what is left out. */
  resilience: resilienceDefaults.optional(),
});
