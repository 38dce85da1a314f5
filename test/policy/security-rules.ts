import { parse as parseYaml } from 'yaml';
import type { EnvironmentName } from '../../catalog';
import { CLUSTER_SCOPED_KINDS, containersOf, podLabelsOf, podSpecOf, type K8sObject, type ObjectIndex } from './object-index';

/**
 * SECURITY.md as data: one entry per rule id, each a function of one object (and the index of its
 * environment for cross-object rules) returning what is wrong with it. The mesh (M*) and component
 * (R*) rules join this list as the components that they concern arrive.
 */
export interface SecurityRule {
  readonly id: string;
  readonly title: string;
  readonly check: (object: K8sObject, index: ObjectIndex, environment: EnvironmentName) => string[];
}

const ALLOWED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const SECRET_LIKE_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
const ISTIO_PROTOCOL_PREFIXES = ['http', 'http2', 'https', 'grpc', 'grpc-web', 'tcp', 'tls', 'udp', 'mongo', 'mysql', 'redis'];
/** Ports of administrative or internal endpoints that must never be reachable from outside (S2). */
const ADMIN_PORTS = new Set([8001, 8444, 8500, 8501, 8502, 16686, 16685, 3100, 9095, 6379, 16379, 4317, 4318, 8888, 8889]);

/** Containers that serve (everything but run-to-completion Jobs) need probes. */
const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** Rules over each container of a pod-bearing object. */
function perContainer(check: (container: K8sObject, pod: K8sObject) => string | undefined) {
  return (object: K8sObject): string[] => {
    const pod = podSpecOf(object);
    if (!pod) return [];
    return containersOf(pod).flatMap((c) => {
      const problem = check(c, pod);
      return problem ? [`container ${c.name}: ${problem}`] : [];
    });
  };
}

/** The most replicas a workload can run: its own count or its autoscaler's ceiling. */
function replicasOf(object: K8sObject, index: ObjectIndex): number {
  return Math.max(object.spec?.replicas ?? 1, ...index.autoscalersOf(object).map((h) => h.spec.maxReplicas));
}

export const SECURITY_RULES: readonly SecurityRule[] = [
  {
    id: 'P1',
    title: 'runAsNonRoot on the pod or every container, never overridden with false',
    check: (object) => {
      const pod = podSpecOf(object);
      if (!pod) return [];
      const containers = containersOf(pod);
      if (containers.some((c) => c.securityContext?.runAsNonRoot === false)) return ['a container sets runAsNonRoot: false'];
      const ok = pod.securityContext?.runAsNonRoot === true || containers.every((c) => c.securityContext?.runAsNonRoot === true);
      return ok ? [] : ['runAsNonRoot is not true'];
    },
  },
  {
    id: 'P2',
    title: 'runAsUser, runAsGroup and fsGroup are never 0',
    check: (object) => {
      const pod = podSpecOf(object);
      if (!pod) return [];
      const contexts = [{ where: 'pod', sc: pod.securityContext ?? {} }, ...containersOf(pod).map((c) => ({ where: `container ${c.name}`, sc: c.securityContext ?? {} }))];
      return contexts.flatMap(({ where, sc }) => ['runAsUser', 'runAsGroup', 'fsGroup'].filter((f) => sc[f] === 0).map((f) => `${where}: ${f} is 0`));
    },
  },
  {
    id: 'P3',
    title: 'seccompProfile RuntimeDefault or Localhost',
    check: (object) => {
      const pod = podSpecOf(object);
      if (!pod) return [];
      const good = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
      const containers = containersOf(pod);
      if (containers.some((c) => c.securityContext?.seccompProfile?.type === 'Unconfined')) return ['a container is Unconfined'];
      return good(pod.securityContext?.seccompProfile?.type) || containers.every((c) => good(c.securityContext?.seccompProfile?.type)) ? [] : ['no RuntimeDefault seccomp profile'];
    },
  },
  { id: 'P4', title: 'allowPrivilegeEscalation: false', check: perContainer((c) => (c.securityContext?.allowPrivilegeEscalation === false ? undefined : 'allowPrivilegeEscalation is not false')) },
  {
    id: 'P5',
    title: 'capabilities drop ALL, add only NET_BIND_SERVICE',
    check: perContainer((c) => {
      const caps = c.securityContext?.capabilities ?? {};
      if (!(caps.drop ?? []).includes('ALL')) return 'capabilities.drop lacks ALL';
      const extra = (caps.add ?? []).filter((a: string) => a !== 'NET_BIND_SERVICE');
      return extra.length ? `adds ${extra.join(', ')}` : undefined;
    }),
  },
  { id: 'P6', title: 'never privileged', check: perContainer((c) => (c.securityContext?.privileged === true ? 'privileged' : undefined)) },
  { id: 'P7', title: 'readOnlyRootFilesystem', check: perContainer((c) => (c.securityContext?.readOnlyRootFilesystem === true ? undefined : 'root filesystem is writable')) },
  {
    id: 'P8',
    title: 'no host namespaces',
    check: (object) => {
      const pod = podSpecOf(object);
      return pod ? ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => pod[f] === true).map((f) => `${f} is true`) : [];
    },
  },
  {
    id: 'P9',
    title: 'only configMap, secret, emptyDir, PVC, projected, downwardAPI, csi, ephemeral volumes',
    check: (object) =>
      (podSpecOf(object)?.volumes ?? []).flatMap((v: K8sObject) => {
        const type = Object.keys(v).find((k) => k !== 'name');
        return type && ALLOWED_VOLUME_TYPES.has(type) ? [] : [`volume ${v.name} is ${type}`];
      }),
  },
  {
    id: 'P10',
    title: 'requests cpu and memory, limits memory',
    check: perContainer((c) => {
      const missing = [
        !c.resources?.requests?.cpu && 'requests.cpu',
        !c.resources?.requests?.memory && 'requests.memory',
        !c.resources?.limits?.memory && 'limits.memory',
      ].filter(Boolean);
      return missing.length ? `missing ${missing.join(', ')}` : undefined;
    }),
  },
  {
    id: 'P11',
    title: 'readiness and liveness probes on long-running containers, on declared ports',
    check: (object) => {
      const pod = podSpecOf(object);
      if (!pod || !LONG_RUNNING.has(object.kind)) return [];
      return (pod.containers ?? []).flatMap((c: K8sObject) => {
        const problems: string[] = [];
        if (!c.readinessProbe) problems.push(`container ${c.name}: no readinessProbe`);
        if (!c.livenessProbe) problems.push(`container ${c.name}: no livenessProbe`);
        const ports = new Set((c.ports ?? []).flatMap((p: K8sObject) => [p.name, p.containerPort]));
        for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
          const port = c[kind]?.httpGet?.port ?? c[kind]?.tcpSocket?.port ?? c[kind]?.grpc?.port;
          if (port !== undefined && !ports.has(port)) problems.push(`container ${c.name}: ${kind} uses undeclared port ${port}`);
        }
        return problems;
      });
    },
  },
  {
    id: 'P12',
    title: 'images pinned to an explicit version',
    check: perContainer((c) => {
      const image: string = c.image ?? '';
      if (image.includes('@sha256:')) return undefined;
      const tag = /:([^/:]+)$/.exec(image)?.[1];
      if (!tag) return `image ${image} has no tag`;
      return tag === 'latest' ? `image ${image} uses latest` : undefined;
    }),
  },
  {
    id: 'P13',
    title: 'no service account token unless the workload calls the API',
    check: (object, index) => {
      const pod = podSpecOf(object);
      if (!pod) return [];
      if (pod.automountServiceAccountToken === false) return [];
      const account = index.find('ServiceAccount', object.metadata.namespace, pod.serviceAccountName);
      if (pod.automountServiceAccountToken === undefined && account?.automountServiceAccountToken === false) return [];
      return ['the service account token is mounted'];
    },
  },
  {
    id: 'P14',
    title: 'a dedicated, emitted ServiceAccount, never default',
    check: (object, index) => {
      const pod = podSpecOf(object);
      if (!pod) return [];
      const name = pod.serviceAccountName;
      if (!name || name === 'default') return ['runs as the default service account'];
      if (pod.serviceAccount) return ['uses the deprecated serviceAccount field'];
      if (!index.find('ServiceAccount', object.metadata.namespace, name)) return [`ServiceAccount ${name} is not emitted`];
      const sharers = index.objects.filter((o) => o.object !== object && o.object.metadata?.namespace === object.metadata.namespace && podSpecOf(o.object)?.serviceAccountName === name);
      return sharers.length ? [`ServiceAccount ${name} is shared with ${sharers.map((o) => o.object.metadata.name).join(', ')}`] : [];
    },
  },
  {
    id: 'P15',
    title: 'more than one replica: a PodDisruptionBudget and spread across nodes',
    check: (object, index) => {
      if (!['Deployment', 'StatefulSet'].includes(object.kind) || replicasOf(object, index) <= 1) return [];
      const labels = podLabelsOf(object);
      const problems: string[] = [];
      const budgets = index.ofKind('PodDisruptionBudget', object.metadata.namespace).filter((p) => Object.entries(p.spec.selector?.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v));
      if (budgets.length === 0) problems.push('no PodDisruptionBudget selects its pods');
      const pod = podSpecOf(object)!;
      const spread = (pod.topologySpreadConstraints ?? []).some((t: K8sObject) => t.topologyKey === 'kubernetes.io/hostname');
      const antiAffinity = [...(pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []), ...(pod.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p: K8sObject) => p.podAffinityTerm)].some(
        (t: K8sObject) => t.topologyKey === 'kubernetes.io/hostname',
      );
      if (!spread && !antiAffinity) problems.push('no topology spread or anti-affinity across nodes');
      return problems;
    },
  },
  {
    id: 'P16',
    title: 'no literal secrets in env',
    check: perContainer((c) => {
      const literal = (c.env ?? []).filter((e: K8sObject) => SECRET_LIKE_NAME.test(e.name) && e.value !== undefined);
      return literal.length ? `literal value for ${literal.map((e: K8sObject) => e.name).join(', ')}` : undefined;
    }),
  },
  {
    id: 'P17',
    title: 'container ports named, no hostPort',
    check: perContainer((c) => {
      const bad = (c.ports ?? []).filter((p: K8sObject) => !p.name || p.hostPort);
      return bad.length ? `ports ${bad.map((p: K8sObject) => p.containerPort).join(', ')} unnamed or on the host` : undefined;
    }),
  },
  {
    id: 'P18',
    title: 'HPA: target has no replicas and has requests for each metric; prod min >= 2; max > min',
    check: (object, index, environment) => {
      if (object.kind !== 'HorizontalPodAutoscaler') return [];
      const { scaleTargetRef, minReplicas = 1, maxReplicas, metrics = [] } = object.spec;
      const target = index.find(scaleTargetRef.kind, object.metadata.namespace, scaleTargetRef.name);
      if (!target) return [`target ${scaleTargetRef.kind} ${scaleTargetRef.name} is not emitted`];
      const problems: string[] = [];
      if (target.spec.replicas !== undefined) problems.push(`${scaleTargetRef.kind} ${scaleTargetRef.name} sets spec.replicas`);
      if (environment === 'prod' && minReplicas < 2) problems.push(`minReplicas ${minReplicas} in prod`);
      if (!(maxReplicas > minReplicas)) problems.push(`maxReplicas ${maxReplicas} is not above minReplicas ${minReplicas}`);
      const containers: K8sObject[] = podSpecOf(target)?.containers ?? [];
      for (const metric of metrics) {
        const source = metric.resource ?? metric.containerResource;
        if (!source) continue;
        const scoped = metric.containerResource ? containers.filter((c) => c.name === metric.containerResource.container) : containers;
        if (scoped.length === 0) problems.push(`metric names container ${metric.containerResource.container}, which the target does not have`);
        for (const c of scoped) if (!c.resources?.requests?.[source.name]) problems.push(`container ${c.name} has no ${source.name} request to scale on`);
      }
      return problems;
    },
  },
  {
    id: 'P19',
    title: 'PodDisruptionBudget lets drains proceed',
    check: (object) => {
      if (object.kind !== 'PodDisruptionBudget') return [];
      const problems: string[] = [];
      if (object.spec.unhealthyPodEvictionPolicy !== 'AlwaysAllow') problems.push('unhealthyPodEvictionPolicy is not AlwaysAllow');
      if (object.spec.maxUnavailable === 0 || object.spec.maxUnavailable === '0%') problems.push('maxUnavailable 0 blocks node drains');
      if (object.spec.minAvailable === '100%') problems.push('minAvailable 100% blocks node drains');
      return problems;
    },
  },
  {
    id: 'P20',
    title: 'an explicit namespace, never default',
    check: (object) => {
      if (CLUSTER_SCOPED_KINDS.has(object.kind)) return object.metadata.namespace ? ['cluster-scoped object has a namespace'] : [];
      const ns = object.metadata.namespace;
      return !ns ? ['no namespace'] : ns === 'default' ? ['in the default namespace'] : [];
    },
  },
  {
    id: 'P21',
    title: 'RBAC: no wildcards, no cluster-admin, no exec/escalate/bind/impersonate, no cluster-wide secret reads',
    check: (object) => {
      if (['ClusterRoleBinding', 'RoleBinding'].includes(object.kind)) {
        return object.roleRef?.name === 'cluster-admin' ? ['binds cluster-admin'] : [];
      }
      if (!['ClusterRole', 'Role'].includes(object.kind)) return [];
      return (object.rules ?? []).flatMap((rule: K8sObject, i: number) => {
        const problems: string[] = [];
        for (const field of ['verbs', 'resources', 'apiGroups']) if ((rule[field] ?? []).includes('*')) problems.push(`rules[${i}].${field} has *`);
        if ((rule.resources ?? []).some((r: string) => ['pods/exec', 'pods/attach', 'nodes/proxy'].includes(r))) problems.push(`rules[${i}] grants exec/attach/proxy`);
        if ((rule.verbs ?? []).some((v: string) => ['escalate', 'bind', 'impersonate'].includes(v))) problems.push(`rules[${i}] grants escalate/bind/impersonate`);
        if (object.kind === 'ClusterRole' && (rule.resources ?? []).includes('secrets')) problems.push(`rules[${i}] reads secrets cluster-wide`);
        return problems;
      });
    },
  },
  {
    id: 'S1',
    title: 'only declared public entry points are LoadBalancer; nothing is NodePort',
    check: (object) => {
      if (object.kind !== 'Service') return [];
      const type = object.spec.type ?? 'ClusterIP';
      return type === 'ClusterIP' ? [] : [`type ${type}`];
    },
  },
  {
    id: 'S2',
    title: 'administrative and internal ports never exposed outside the cluster',
    check: (object) => {
      if (object.kind === 'Ingress') return ['Ingress objects are not part of this platform: Kong is the entry point'];
      if (object.kind !== 'Service' || (object.spec.type ?? 'ClusterIP') === 'ClusterIP') return [];
      return (object.spec.ports ?? []).filter((p: K8sObject) => ADMIN_PORTS.has(p.port) || ADMIN_PORTS.has(p.targetPort)).map((p: K8sObject) => `exposes port ${p.port}`);
    },
  },
  {
    id: 'S3',
    title: 'Service ports carry an Istio protocol prefix or appProtocol',
    check: (object) => {
      if (object.kind !== 'Service') return [];
      return (object.spec.ports ?? [])
        .filter((p: K8sObject) => !p.appProtocol && !ISTIO_PROTOCOL_PREFIXES.some((prefix) => p.name === prefix || p.name?.startsWith(`${prefix}-`)))
        .map((p: K8sObject) => `port ${p.port} (${p.name ?? 'unnamed'}) has no protocol`);
    },
  },
  {
    id: 'S4',
    title: 'a Service selects exactly one workload',
    check: (object, index) => {
      if (object.kind !== 'Service' || !object.spec.selector) return [];
      const selected = index.workloadsSelectedBy(object.metadata.namespace, object.spec.selector);
      return selected.length === 1 ? [] : [`selects ${selected.length} workloads`];
    },
  },
  {
    id: 'M5',
    title: 'namespaces enforce restricted Pod Security and are labelled for sidecar injection',
    check: (object) => {
      if (object.kind !== 'Namespace') return [];
      const labels = object.metadata.labels ?? {};
      const problems: string[] = [];
      if (labels['pod-security.kubernetes.io/enforce'] !== 'restricted') problems.push(`enforces ${labels['pod-security.kubernetes.io/enforce'] ?? 'nothing'}`);
      if (labels['istio-injection'] !== 'enabled' && labels['istio.io/dataplane-mode'] !== 'ambient') problems.push('no sidecar injection or ambient label');
      return problems;
    },
  },
  {
    id: 'R4',
    title: 'OTel collector: memory_limiter first and batch after it in every pipeline, receivers on the pod IP, no pprof/zpages, GOMEMLIMIT ~80 % of the memory limit',
    check: (object, index) => {
      const config = collectorConfigOf(object);
      if (!config) return [];
      const problems: string[] = [];
      for (const [name, pipeline] of Object.entries<K8sObject>(config.service?.pipelines ?? {})) {
        const processors: string[] = pipeline.processors ?? [];
        if (processors[0] !== 'memory_limiter') problems.push(`pipeline ${name}: memory_limiter is not first`);
        if (!processors.includes('batch') || processors.indexOf('batch') < processors.indexOf('memory_limiter')) problems.push(`pipeline ${name}: no batch after memory_limiter`);
      }
      const endpoints = JSON.stringify(config.receivers ?? {}).match(/"endpoint":"[^"]*"/g) ?? [];
      for (const e of endpoints) if (!e.includes('${env:MY_POD_IP}')) problems.push(`receiver ${e} is not bound to \${env:MY_POD_IP}`);
      for (const ext of ['pprof', 'zpages']) if (Object.keys(config.extensions ?? {}).some((k) => k.split('/')[0] === ext)) problems.push(`extension ${ext} is on`);
      // the workloads that mount this ConfigMap: GOMEMLIMIT about 80 % of their memory limit.
      for (const w of index.objects.map((o) => o.object).filter((o) => o.metadata?.namespace === object.metadata.namespace && (podSpecOf(o)?.volumes ?? []).some((v: K8sObject) => v.configMap?.name === object.metadata.name))) {
        for (const c of podSpecOf(w)!.containers ?? []) {
          const limit = mebibytes(c.resources?.limits?.memory);
          const gomem = (c.env ?? []).find((e: K8sObject) => e.name === 'GOMEMLIMIT')?.value;
          const value = /^(\d+)MiB$/.exec(gomem ?? '')?.[1];
          if (!limit || !value || Math.abs(Number(value) / limit - 0.8) > 0.05) problems.push(`${w.kind} ${w.metadata.name} container ${c.name}: GOMEMLIMIT ${gomem ?? 'unset'} is not about 80 % of the memory limit`);
        }
      }
      return problems;
    },
  },
  {
    id: 'R5',
    title: 'Jaeger, Loki: storage on a PVC with retention set; ClusterIP only',
    check: (object) => {
      const name = object.metadata?.labels?.['app.kubernetes.io/name'];
      if (!['jaeger', 'loki'].includes(name)) return [];
      if (object.kind === 'Service') return (object.spec.type ?? 'ClusterIP') === 'ClusterIP' ? [] : [`Service is ${object.spec.type}`];
      if (object.kind === 'ConfigMap') {
        const config = parseYaml(object.data?.['config.yaml'] ?? '{}') ?? {};
        if (name === 'loki') {
          const problems: string[] = [];
          if (!config.limits_config?.retention_period) problems.push('limits_config.retention_period is not set');
          if (config.compactor?.retention_enabled !== true) problems.push('compactor.retention_enabled is not true');
          return problems;
        }
        return Object.entries<K8sObject>(config.extensions?.jaeger_storage?.backends ?? {}).flatMap(([backend, store]) =>
          store.memory ? [`backend ${backend} keeps traces in memory`] : store.badger && !store.badger.ttl?.spans ? [`backend ${backend}: badger ttl.spans is not set`] : [],
        );
      }
      if (!podSpecOf(object)) return [];
      const claims = (object.spec.volumeClaimTemplates ?? []).length + (podSpecOf(object)!.volumes ?? []).filter((v: K8sObject) => v.persistentVolumeClaim).length;
      return claims === 0 ? ['no PersistentVolumeClaim for its data'] : [];
    },
  },
  {
    id: 'I2',
    title: 'no secret value in dist/',
    check: (object) => {
      if (object.kind !== 'Secret') return [];
      return object.data || object.stringData ? ['a Secret with values is synthesized; reference pre-existing Secrets or let Pulumi create them from config secrets'] : [];
    },
  },
];

/** The collector configuration a ConfigMap holds (`config.yaml` with `receivers` and `service.pipelines`), or undefined. */
export function collectorConfigOf(object: K8sObject): K8sObject | undefined {
  if (object.kind !== 'ConfigMap') return undefined;
  const text = object.data?.['config.yaml'];
  if (typeof text !== 'string') return undefined;
  const config = parseYaml(text);
  return config?.receivers && config?.service?.pipelines && !config.extensions?.jaeger_storage ? config : undefined;
}

function mebibytes(quantity: string | undefined): number | undefined {
  const m = /^(\d+)(Mi|Gi)$/.exec(quantity ?? '');
  return m ? Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1) : undefined;
}
