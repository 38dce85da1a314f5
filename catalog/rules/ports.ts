import type { DocPath } from '../source';
import { duplicates, type Finding, type Rule } from './rule';

/** Ports the Istio sidecar listens on inside every pod; a service port there breaks the proxy. */
const ISTIO_RESERVED_PORTS = [15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090];

/** Service and ingress gateway ports: one per protocol, off the sidecar's and Envoy's own, http on every service. */
export const portRules: readonly Rule[] = [
  {
    id: 'port-clashes',
    check: (doc) =>
      doc.services.flatMap((s, i) => {
        const findings: Finding[] = [];
        const { http, grpc } = s.ports;
        if (http !== undefined && http === grpc) {
          findings.push({ path: ['services', i, 'ports', 'grpc'], message: `grpc port ${grpc} is also the http port; give each protocol its own port` });
        }
        for (const [name, value] of Object.entries(s.ports)) {
          if (value !== undefined && ISTIO_RESERVED_PORTS.includes(value)) {
            findings.push({ path: ['services', i, 'ports', name], message: `port ${value} is reserved by the Istio sidecar (${ISTIO_RESERVED_PORTS.join(', ')}); pick another port` });
          }
        }
        return findings;
      }),
  },
  {
    id: 'services-serve-http',
    check: (doc) =>
      doc.services.flatMap((s, i) =>
        !s.implementation && s.ports.http === undefined
          ? [{ path: ['services', i, 'ports'], message: `"${s.name}" has no http port; every service serves its probes (/health, /ready) and /metrics over http, add ports.http` }]
          : [],
      ),
  },
  {
    id: 'istio-gateway-ports',
    // two Service ports on one number are rejected by the API server only at install time;
    // a target port on one of Envoy's own ports (15021 status, 15090 metrics) breaks the gateway.
    check: (doc) => {
      const ports = doc.platform.istio?.ingressGateway?.ports ?? [];
      const at = (j: number, field: string): DocPath => ['platform', 'istio', 'ingressGateway', 'ports', j, field];
      return [
        ...duplicates(ports.map((p, j) => [String(p.port), at(j, 'port')] as const), (port) => `ingress gateway port ${port} is listed twice; each Service port needs its own number`),
        ...duplicates(ports.map((p, j) => [p.name, at(j, 'name')] as const), (name) => `ingress gateway port name "${name}" is listed twice; each Service port needs its own name`),
        ...ports.flatMap((p, j) =>
          ISTIO_RESERVED_PORTS.includes(p.targetPort)
            ? [{ path: at(j, 'targetPort'), message: `target port ${p.targetPort} is reserved by the gateway's Envoy (${ISTIO_RESERVED_PORTS.join(', ')}); use 8080 or 8443` }]
            : [],
        ),
      ];
    },
  },
];
