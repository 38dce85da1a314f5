import { parseAllDocuments } from 'yaml';
import { compare, objectKey, podSpecOf, type K8sObject } from './objects';

/** One way in from outside the cluster; `id` is stable across unrelated changes, `text` is what reviewers read. */
export interface PublicEndpoint {
  readonly id: string;
  readonly text: string;
}

/**
 * Every public endpoint the objects declare, sorted: Services of type LoadBalancer or NodePort
 * (with the TLS source of the pods behind them), the ingress gateways an IstioOperator enables
 * (what the Pulumi program's Istio `gateway` Helm release installs from the same typed config),
 * Ingress rules, Gateway API HTTPRoutes, Istio Gateways, and the routes of Kong declarative configs
 * (any ConfigMap value that is a YAML document with `_format_version` and `services[].routes[]`).
 */
export function publicEndpoints(objects: readonly K8sObject[]): PublicEndpoint[] {
  return objects.flatMap((o) => endpointsOf(o, objects)).sort((a, b) => compare(a.id, b.id));
}

/** The public entries only (load balancers, node ports, ingress gateways), not the routes behind them. */
export function publicEntries(objects: readonly K8sObject[]): PublicEndpoint[] {
  return publicEndpoints(objects).filter((e) => /^(Service|IstioOperator) /.test(e.id));
}

const EXPOSED_SERVICE_TYPES = ['LoadBalancer', 'NodePort'];

function endpointsOf(o: K8sObject, objects: readonly K8sObject[]): PublicEndpoint[] {
  const key = objectKey(o);
  switch (o.kind) {
    case 'Service': {
      const type = o.spec?.type ?? 'ClusterIP';
      if (!EXPOSED_SERVICE_TYPES.includes(type)) return [];
      return [{ id: `${key} ${type}`, text: `${key} ${type} ports ${portsText(o.spec?.ports)} TLS: ${tlsSource(o, objects)}` }];
    }
    case 'IstioOperator':
      // istioctl input only; the Pulumi program installs the same gateways with the `gateway` chart.
      return (o.spec?.components?.ingressGateways ?? []).flatMap((g: K8sObject) => {
        const type = g.k8s?.service?.type ?? 'LoadBalancer';
        if (g.enabled !== true || !EXPOSED_SERVICE_TYPES.includes(type)) return [];
        const service = `${g.namespace ?? o.metadata?.namespace}/${g.name}`;
        return [{ id: `${key} ingress gateway ${service} ${type}`, text: `${key} ingress gateway Service ${service} ${type} ports ${portsText(g.k8s?.service?.ports)} (Helm release gateway) TLS: none, it routes nothing until a Gateway names it` }];
      });
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

function portsText(ports: K8sObject[] | undefined): string {
  return (ports ?? []).map((p: K8sObject) => (p.name ? `${p.name}:${p.port}` : String(p.port))).join(',');
}

/**
 * Where the certificate of the pods behind a Service comes from: the Secret volumes holding
 * `tls.crt` (or written by a cert-manager Certificate) of the workloads it selects. A Secret a
 * Certificate writes is shown as that Certificate and its issuer; any other as an existing Secret.
 */
export function tlsSource(service: K8sObject, objects: readonly K8sObject[]): string {
  const namespace = service.metadata?.namespace;
  const selector: Record<string, string> = service.spec?.selector ?? {};
  if (Object.keys(selector).length === 0) return 'none';
  const certificates = objects.filter((o) => o.kind === 'Certificate' && String(o.apiVersion).startsWith('cert-manager.io/') && o.metadata?.namespace === namespace);
  const sources = objects
    .filter((o) => o.metadata?.namespace === namespace && podSpecOf(o))
    .filter((o) => {
      const labels = o.spec?.template?.metadata?.labels ?? {};
      return Object.entries(selector).every(([k, v]) => labels[k] === v);
    })
    .flatMap((o) => podSpecOf(o)?.volumes ?? [])
    .flatMap((v: K8sObject) => (v.secret?.secretName ? [v.secret] : []))
    .flatMap((secret: K8sObject) => {
      const certificate = certificates.find((c) => c.spec?.secretName === secret.secretName);
      if (certificate) return [`Certificate ${namespace}/${certificate.metadata.name} from ${certificate.spec.issuerRef?.kind ?? 'Issuer'} ${certificate.spec.issuerRef?.name}`];
      const keys: string[] = (secret.items ?? []).map((i: K8sObject) => i.key);
      return keys.includes('tls.crt') ? [`existing Secret ${namespace}/${secret.secretName}`] : [];
    });
  return sources.length > 0 ? [...new Set(sources)].sort(compare).join(', ') : 'none';
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
