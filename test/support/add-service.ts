import { isMap, isSeq, parseDocument } from 'yaml';

/** The service the README's "Adding a service" adds in tests (with a suffix if the catalog already has one by that name). */
export const NEW_SERVICE = 'sleep-coach-service';

/** What {@link withNewService} added: the service's name, its caller and its public route path. */
export interface AddedService {
  readonly text: string;
  readonly name: string;
  readonly caller: string;
  readonly gateway: string;
  readonly path: string;
}

/**
 * A copy of catalog text with one service added exactly as README "Adding a service" says:
 * 1. append an entry to `services:` (a support service, with its public route);
 * 2. let a caller reach it (the first agents-layer service) and, for the route, the gateway;
 * Nothing here knows how many services the catalog has. Comments and layout survive (yaml's Document API).
 */
export function withNewService(text: string): string {
  return addService(text).text;
}

export function addService(text: string): AddedService {
  const doc = parseDocument(text);
  const services = doc.get('services');
  if (!isSeq(services)) throw new Error('catalog has no services list');
  const entries = services.items.filter(isMap);
  const indexOf = (test: (s: Record<string, unknown>) => boolean) => entries.findIndex((s) => test(s.toJSON()));
  const caller = indexOf((s) => s.layer === 'agents');
  const gateway = indexOf((s) => s.implementation === 'kong');
  if (caller < 0 || gateway < 0) throw new Error('catalog has no agents-layer service or no kong gateway');
  const taken = new Set(entries.map((s) => String(s.get('name'))));
  let suffix = 1;
  while (taken.has(name(suffix))) suffix++;
  const service = name(suffix);
  const path = `/api/v1/${service.replace(/-service$/, '')}`;
  doc.addIn(['services'], doc.createNode({
    name: service,
    layer: 'support',
    description: 'Sleep coaching plans.',
    image: { name: service, tag: '0.1.0' },
    ports: { http: 8000 },
    env: { LOG_LEVEL: 'INFO' },
    config: { plans: { default_length_days: 14 } },
    route: { path, methods: ['GET', 'POST'], plugins: { jwt: {}, 'rate-limiting': { minute: 50, hour: 500 } } },
  }));
  const call = (methods: string[], paths: string[]) => doc.createNode({ service, methods, paths }, { flow: true });
  doc.addIn(['services', caller, 'calls'], call(['POST'], [`${path}/*`]));
  doc.addIn(['services', gateway, 'calls'], call(['GET', 'POST'], [path, `${path}/*`]));
  return { text: doc.toString(), name: service, caller: String(entries[caller].get('name')), gateway: String(entries[gateway].get('name')), path };
}

function name(suffix: number): string {
  return suffix === 1 ? NEW_SERVICE : `${NEW_SERVICE}-${suffix}`;
}
