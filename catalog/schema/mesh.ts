import { z } from 'zod';
import { dnsLabel, envName, port } from './fields';
import { resources } from './workload';

/** The Istio mesh: control plane, ingress gateway and mesh-wide settings (`istioctl` and Helm input). */
export const istio = z.strictObject({
  /** The Istio release installed: istioctl, Helm chart and image version, e.g. `1.30.1`. */
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be an Istio release such as "1.30.1"'),
  /** `values.global.meshID`. */
  meshId: dnsLabel.optional(),
  /** `values.global.network`. */
  network: dnsLabel.optional(),
  pilot: z
    .strictObject({
      resources: resources.optional(),
      /** Environment variables of istiod (discovery), e.g. `EXTERNAL_ISTIOD: "false"`. */
      env: z.record(envName, z.string()).optional(),
    })
    .optional(),
  ingressGateway: z
    .strictObject({
      /**
       * Install the Istio ingress gateway (a second public entry). Kong is the edge (README "One
       * public entry"); the loader refuses `true` while the catalog cannot give it routes.
       * @default false
       */
      enabled: z.boolean().optional(),
      serviceType: z.enum(['LoadBalancer', 'ClusterIP']).optional(),
      /** Service ports; names carry Istio's protocol prefix (`http2`, `https`). */
      ports: z.array(z.strictObject({ name: dnsLabel, port, targetPort: port })).min(1).optional(),
    })
    .optional(),
});

export type IstioEntry = z.infer<typeof istio>;
