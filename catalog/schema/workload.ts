import { z } from 'zod';
import { cpu, duration, imageTag, memory, pathPattern, percent, positiveInt } from './fields';

export const image = z.strictObject({
  /** Repository under the platform registry, e.g. `xiaoai-service`. */
  name: z.string().regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, 'must be an image repository name such as "xiaoai-service"'),
  /** Pinned version; never `latest`. */
  tag: imageTag,
});

/** An image outside the platform registry (infrastructure: Kong, Redis, ...), pinned by tag. */
export const externalImage = z.strictObject({
  repository: z.string().regex(/^[a-z0-9]+([._/:-][a-z0-9]+)*$/, 'must be an image repository such as "docker.io/library/kong"'),
  tag: imageTag,
});

const resourceAmounts = z.strictObject({ cpu, memory });
export const resources = z.strictObject({ requests: resourceAmounts, limits: resourceAmounts });

export const probe = z.strictObject({
  path: pathPattern,
  period: duration.optional(),
  timeout: duration.optional(),
  failureThreshold: positiveInt.optional(),
});
export const probes = z.strictObject({
  startup: probe.optional(),
  readiness: probe.optional(),
  liveness: probe.optional(),
});

export const autoscaling = z.strictObject({
  minReplicas: positiveInt.optional(),
  maxReplicas: positiveInt.optional(),
  cpuUtilization: percent.optional(),
  memoryUtilization: percent.optional(),
});
