import { isMap, isSeq, parseDocument } from 'yaml';

/** The service the README's "Adding a service" adds in tests. */
export const NEW_SERVICE = 'sleep-coach-service';

/**
 * A copy of catalog text with one service added exactly as README "Adding a service" says:
 * 1. append an entry to `services:` (a support service, with its public route);
 * 2. let a caller reach it (the first agents-layer service) and, for the route, the gateway;
 * Nothing here knows how many services the catalog has. Comments and layout survive (yaml's Document API).
 */
export function withNewService(text: string): string {
  const doc = parseDocument(text);
  const services = doc.get('services');
  if (!isSeq(services)) throw new Error('catalog has no services list');
  const entries = services.items.filter(isMap);
  const indexOf = (test: (s: Record<string, unknown>) => boolean) => entries.findIndex((s) => test(s.toJSON()));
  const caller = indexOf((s) => s.layer === 'agents');
  const gateway = indexOf((s) => s.implementation === 'kong');
  if (caller < 0 || gateway < 0) throw new Error('catalog has no agents-layer service or no kong gateway');
  const path = '/api/v1/sleep-coach';
  doc.addIn(['services'], doc.createNode({
    name: NEW_SERVICE,
    layer: 'support',
    description: 'Sleep coaching plans.',
    image: { name: NEW_SERVICE, tag: '0.1.0' },
    ports: { http: 8000 },
    env: { LOG_LEVEL: 'INFO' },
    config: { plans: { default_length_days: 14 } },
    route: { path, methods: ['GET', 'POST'], plugins: { jwt: {}, 'rate-limiting': { minute: 50, hour: 500 } } },
  }));
  const call = (methods: string[], paths: string[]) => doc.createNode({ service: NEW_SERVICE, methods, paths }, { flow: true });
  doc.addIn(['services', caller, 'calls'], call(['POST'], ['/api/v1/sleep/*']));
  doc.addIn(['services', gateway, 'calls'], call(['GET', 'POST'], [path, `${path}/*`]));
  return doc.toString();
}
