import { parseDuration } from '../duration';
import { ENVIRONMENTS, type EnvironmentName } from '../schema';
import type { DocPath } from '../source';
import { duplicates, type Finding, type Rule } from './rule';

/**
 * The public entry: Kong alone, with a certificate per environment, explicit CORS origins, the mesh
 * calls its routes need, and JWT consumers that can be told apart.
 */
export const gatewayRules: readonly Rule[] = [
  {
    id: 'one-public-entry',
    // Kong is the edge (README "One public entry"). An Istio ingress gateway is a second public
    // LoadBalancer, and the platform generates no Gateway or VirtualService for it: it would route
    // nothing, yet need a load-balancer controller and a review of its own.
    check: (doc) =>
      doc.platform.istio?.ingressGateway?.enabled === true
        ? [{ path: ['platform', 'istio', 'ingressGateway', 'enabled'], message: 'the Istio ingress gateway would be a second public entry that routes nothing (the catalog cannot give it a Gateway or VirtualService yet); set enabled: false, Kong is the public entry' }]
        : [],
  },
  {
    id: 'public-tls',
    // every public host gets a real certificate, and prod tells browsers to use nothing but HTTPS.
    check: (doc) => {
      if (!doc.services.some((s) => s.route)) return [];
      return ENVIRONMENTS.flatMap((env: EnvironmentName): Finding[] => {
        const tls = doc.environments[env].tls;
        const host = doc.environments[env].hostnames.api;
        if (!tls) {
          return [{ path: ['environments', env, 'hostnames', 'api'], message: `${env}: the public host "${host}" has no certificate, so Kong would serve its self-signed one; add tls: { issuer: { kind: ClusterIssuer, name: <issuer> } } or tls: { secret: <existing TLS Secret> } to environments.${env}` }];
        }
        const findings: Finding[] = [];
        if ((tls.issuer === undefined) === (tls.secret === undefined)) {
          findings.push({ path: ['environments', env, 'tls'], message: `${env}: tls needs exactly one source: issuer (cert-manager issues the certificate) or secret (an existing TLS Secret), not ${tls.issuer ? 'both' : 'neither'}` });
        }
        if (env === 'prod' && tls.hstsMaxAge === undefined) {
          findings.push({ path: ['environments', env, 'tls'], message: 'prod: no hstsMaxAge; browsers must be told to use HTTPS only, add hstsMaxAge: 8760h (one year)' });
        }
        const hsts = tls.hstsMaxAge === undefined ? undefined : parseDuration(tls.hstsMaxAge);
        if (hsts !== undefined && hsts < 1) findings.push({ path: ['environments', env, 'tls', 'hstsMaxAge'], message: `${env}: hstsMaxAge "${tls.hstsMaxAge}" of zero tells browsers to forget HTTPS-only; use e.g. 8760h` });
        return findings;
      });
    },
  },
  {
    id: 'cors-origins',
    check: (doc) => {
      const credentials = doc.platform.kong?.cors?.credentials ?? true;
      return ENVIRONMENTS.flatMap((env: EnvironmentName) =>
        (doc.environments[env].gateway?.corsOrigins ?? []).flatMap((origin, k) => {
          const path: DocPath = ['environments', env, 'gateway', 'corsOrigins', k];
          if (origin === '*') {
            return [{
              path,
              message: credentials
                ? 'origin "*" with credentials is rejected by browsers (the CORS spec forbids a wildcard with credentials); list each origin, e.g. "https://app.suoke.life"'
                : 'origin "*" lets every site call the API; list each origin, e.g. "https://app.suoke.life" (SECURITY.md R2)',
            }];
          }
          return ORIGIN.test(origin) ? [] : [{ path, message: `"${origin}" is not an origin; use scheme://host[:port] with no path or trailing "/", e.g. "https://app.suoke.life"` }];
        }),
      );
    },
  },
  {
    id: 'routes-called-by-gateway',
    // the mesh admits the gateway exactly where the catalog's calls say; a route without the
    // matching call would be public at Kong and denied by the callee's AuthorizationPolicy.
    check: (doc) => {
      const gatewayIndex = doc.services.findIndex((s) => s.implementation === 'kong');
      const gateway = doc.services[gatewayIndex];
      const routed = doc.services.flatMap((s, i) => (s.route ? [{ s, i, route: s.route }] : []));
      if (!gateway) {
        return routed.slice(0, 1).map(({ i }) => ({ path: ['services', i, 'route'] as DocPath, message: 'routes need the gateway: add a service with implementation: kong (api-gateway)' }));
      }
      const calls = gateway.calls ?? [];
      const findings: Finding[] = routed.flatMap(({ s, i, route }) => {
        const call = calls.find((c) => c.service === s.name);
        const paths = [route.path, `${route.path.replace(/\/$/, '')}/*`];
        const expected = `{ service: ${s.name}, methods: [${route.methods.join(', ')}], paths: [${paths.join(', ')}] }`;
        if (!call) return [{ path: ['services', i, 'route'] as DocPath, message: `"${s.name}" has a route but "${gateway.name}" does not call it; add ${expected} to ${gateway.name}'s calls` }];
        const sameMethods = [...call.methods].sort().join() === [...route.methods].sort().join();
        const samePaths = [...call.paths].sort().join() === [...paths].sort().join();
        return sameMethods && samePaths ? [] : [{ path: ['services', gatewayIndex, 'calls', calls.indexOf(call)] as DocPath, message: `the call to "${s.name}" must match its route: ${expected}` }];
      });
      calls.forEach((call, j) => {
        const callees = doc.services.filter((s) => s.name === call.service);
        if (callees.length > 0 && callees.every((s) => !s.route)) {
          findings.push({ path: ['services', gatewayIndex, 'calls', j, 'service'], message: `"${gateway.name}" calls "${call.service}", which has no route; add a route to ${call.service} or remove this call` });
        }
      });
      return findings;
    },
  },
  {
    id: 'jwt-needs-consumer',
    check: (doc) => {
      if ((doc.platform.kong?.consumers ?? []).length > 0) return [];
      return doc.services.flatMap((s, i) =>
        s.route?.plugins?.jwt ? [{ path: ['services', i, 'route', 'plugins', 'jwt'] as DocPath, message: 'jwt rejects every token when no consumer has a credential; add platform.kong.consumers: [{ username: ..., jwt: { key: <iss>, secret: { name: <secret>, key: <key> } } }]' }] : [],
      );
    },
  },
  {
    id: 'unique-consumers',
    check: (doc) =>
      duplicates((doc.platform.kong?.consumers ?? []).map((c, k) => [c.username, ['platform', 'kong', 'consumers', k, 'username']] as const), (name) => `consumer "${name}" is listed twice; keep one`).concat(
        duplicates((doc.platform.kong?.consumers ?? []).map((c, k) => [c.jwt.key, ['platform', 'kong', 'consumers', k, 'jwt', 'key']] as const), (key) => `jwt key "${key}" is used by two consumers; Kong finds the credential by this key, keep it unique`),
      ),
  },
];

/** A browser origin: scheme, host and optional port, nothing else (RFC 6454). */
const ORIGIN = /^https?:\/\/([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?(:\d{1,5})?$/;
