import { parseAllDocuments } from 'yaml';
import { compare, objectKey, type K8sObject } from './objects';

/** One way in from outside the cluster; `id` is stable across unrelated changes, `text` is what reviewers read. */
export interface PublicEndpoint {
  readonly id: string;
  readonly text: string;
}

/**
 * Every public endpoint the objects declare, sorted: Services of type LoadBalancer or NodePort,
 * Ingress rules, Gateway API HTTPRoutes, Istio Gateways, and the routes of Kong declarative configs
 * (any ConfigMap value that is a YAML document with `_format_version` and `services[].routes[]`).
 */
export function publicEndpoints(objects: readonly K8sObject[]): PublicEndpoint[] {
  return objects.flatMap(endpointsOf).sort((a, b) => compare(a.id, b.id));
}

function endpointsOf(o: K8sObject): PublicEndpoint[] {
  const key = objectKey(o);
  switch (o.kind) {
    case 'Service': {
      const type = o.spec?.type ?? 'ClusterIP';
      if (type !== 'LoadBalancer' && type !== 'NodePort') return [];
      const ports = (o.spec?.ports ?? []).map((p: K8sObject) => (p.name ? `${p.name}:${p.port}` : String(p.port))).join(',');
      return [{ id: `${key} ${type}`, text: `${key} ${type} ports ${ports}` }];
    }
    case 'Ingress':
      return (o.spec?.rules ?? []).flatMap((rule: K8sObject) =>
        (rule.http?.paths ?? []).map((p: K8sObject) => {
          const where = `${rule.host ?? '*'}${p.path ?? '/'}`;
          return { id: `${key} ${where}`, text: `${key} ${where} → ${p.backend?.service?.name}:${p.backend?.service?.port?.number ?? p.backend?.service?.port?.name}` };
        }),
      );
    case 'HTTPRoute': {
      const hosts = (o.spec?.hostnames ?? ['*']).join(',');
      return (o.spec?.rules ?? []).flatMap((rule: K8sObject) =>
        (rule.matches ?? [{}]).map((m: K8sObject) => {
          const where = `${hosts}${m.path?.value ?? '/'}${m.method ? ` ${m.method}` : ''}`;
          return { id: `${key} ${where}`, text: `${key} ${where} → ${(rule.backendRefs ?? []).map((b: K8sObject) => b.name).join(',')}` };
        }),
      );
    }
    case 'Gateway':
      if (!String(o.apiVersion).startsWith('networking.istio.io/')) return [];
      return (o.spec?.servers ?? []).map((s: K8sObject) => {
        const where = `${s.port?.protocol ?? ''}:${s.port?.number} ${(s.hosts ?? []).join(',')}`;
        return { id: `${key} ${where}`, text: `${key} ${where}` };
      });
    case 'ConfigMap':
      return Object.values<string>(o.data ?? {}).flatMap((text) => kongRoutes(key, text));
    default:
      return [];
  }
}

/** Routes of a Kong declarative config (DB-less), or none when the text is something else. */
export function kongRoutes(key: string, text: string): PublicEndpoint[] {
  if (typeof text !== 'string' || !text.includes('_format_version')) return [];
  let documents: unknown[];
  try {
    documents = parseAllDocuments(text).map((d) => d.toJS());
  } catch {
    return [];
  }
  return documents.flatMap((config) => {
    if (!config || typeof config !== 'object' || !('_format_version' in config)) return [];
    const services: K8sObject[] = (config as K8sObject).services ?? [];
    return services.flatMap((service) =>
      (service.routes ?? []).map((route: K8sObject) => {
        const methods = route.methods ? `${[...route.methods].sort(compare).join(',')} ` : '';
        const hosts = route.hosts ? `${route.hosts.join(',')}` : '';
        const where = `${hosts}${(route.paths ?? ['/']).join(',')}`;
        return { id: `route ${route.name ?? where} ${key}`, text: `route ${methods}${where} → ${service.name} (${key})` };
      }),
    );
  });
}
