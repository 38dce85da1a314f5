import { parse } from 'yaml';
import { ISTIO_ROOT_NAMESPACE, type EnvironmentName } from '../../catalog';
import { applicationOf, CLUSTER_SCOPED_KINDS, containersOf, podLabelsOf, podSpecOf, type K8sObject, type ObjectIndex } from './object-index';

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

/** A mesh identity: `cluster.local/ns/<namespace>/sa/<service account>`. */
const MESH_PRINCIPAL = /^cluster\.local\/ns\/[a-z0-9]([-a-z0-9]*[a-z0-9])?\/sa\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;

/** An AuthorizationPolicy that allows (action ALLOW or unset) and has rules; allow-nothing has none. */
function isAllowPolicy(object: K8sObject): boolean {
  return object.kind === 'AuthorizationPolicy' && (object.spec?.action ?? 'ALLOW') === 'ALLOW' && (object.spec?.rules ?? []).length > 0;
}

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
      // a canary track runs as its application's identity, so only other applications count.
      const sharers = index.objects.filter(
        (o) => o.object !== object && o.object.metadata?.namespace === object.metadata.namespace && podSpecOf(o.object)?.serviceAccountName === name && applicationOf(o.object) !== applicationOf(object),
      );
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
      // the tracks of one application (stable and canary) are one workload here.
      const selected = index.applicationsSelectedBy(object.metadata.namespace, object.spec.selector);
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
    id: 'M1',
    title: 'STRICT mTLS: no PERMISSIVE or DISABLE anywhere, and every workload is covered mesh-wide or namespace-wide',
    check: (object, index) => {
      if (object.kind === 'PeerAuthentication') {
        const modes = [object.spec?.mtls?.mode, ...Object.values<K8sObject>(object.spec?.portLevelMtls ?? {}).map((p) => p.mode)];
        return modes.filter((m) => m === 'PERMISSIVE' || m === 'DISABLE').map((m) => `mtls mode ${m}`);
      }
      if (!podSpecOf(object)) return [];
      const strict = (pa: K8sObject) => !pa.spec?.selector && pa.spec?.mtls?.mode === 'STRICT';
      const covered = index.ofKind('PeerAuthentication', ISTIO_ROOT_NAMESPACE).some(strict) || index.ofKind('PeerAuthentication', object.metadata.namespace).some(strict);
      return covered ? [] : [`no STRICT PeerAuthentication covers namespace ${object.metadata.namespace} (mesh-wide in ${ISTIO_ROOT_NAMESPACE} or namespace-wide)`];
    },
  },
  {
    id: 'M2',
    title: 'every namespace that runs pods has an allow-nothing AuthorizationPolicy',
    check: (object, index) => {
      if (!podSpecOf(object)) return [];
      const allowNothing = index.ofKind('AuthorizationPolicy', object.metadata.namespace).some((p) => Object.keys(p.spec ?? {}).length === 0);
      return allowNothing ? [] : [`namespace ${object.metadata.namespace} has no allow-nothing AuthorizationPolicy (spec: {})`];
    },
  },
  {
    id: 'M3',
    title: 'ALLOW policies select one workload and grant principals of the form cluster.local/ns/<ns>/sa/<sa> limited operations',
    check: (object, index) => {
      if (!isAllowPolicy(object)) return [];
      const problems: string[] = [];
      const selector = object.spec.selector?.matchLabels;
      if (!selector) problems.push('has rules but no selector: it would open the whole namespace');
      else {
        const selected = index.applicationsSelectedBy(object.metadata.namespace, selector);
        if (selected.length !== 1) problems.push(`selector selects ${selected.length} workloads`);
      }
      (object.spec.rules ?? []).forEach((rule: K8sObject, i: number) => {
        if (!rule.from?.length) return; // callers-less rules are M4's concern
        for (const source of rule.from) {
          for (const principal of source.source?.principals ?? []) {
            if (!MESH_PRINCIPAL.test(principal)) problems.push(`rules[${i}] principal ${principal} is not cluster.local/ns/<ns>/sa/<sa>`);
          }
        }
        const limited = (rule.to ?? []).length > 0 && rule.to.every((t: K8sObject) => ['methods', 'paths', 'ports'].some((f) => (t.operation?.[f] ?? []).length > 0));
        if (!limited) problems.push(`rules[${i}] grants its callers every operation; list methods and paths`);
      });
      return problems;
    },
  },
  {
    id: 'M4',
    title: 'no ALLOW rule for any caller: no missing or empty from, no source without principals, no * principal, no negative matches',
    check: (object) => {
      if (!isAllowPolicy(object)) return [];
      return (object.spec.rules ?? []).flatMap((rule: K8sObject, i: number) => {
        if (!rule.from?.length) return [`rules[${i}] has no from: it admits any caller`];
        const problems: string[] = [];
        rule.from.forEach((f: K8sObject, j: number) => {
          const principals: string[] = f.source?.principals ?? [];
          if (principals.length === 0) problems.push(`rules[${i}].from[${j}] names no principals`);
          if (principals.some((p) => p.includes('*'))) problems.push(`rules[${i}].from[${j}] has a * principal`);
          const negative = Object.keys(f.source ?? {}).filter((k) => k.startsWith('not'));
          if (negative.length) problems.push(`rules[${i}].from[${j}] uses ${negative.join(', ')} in an ALLOW policy`);
        });
        return problems;
      });
    },
  },
  {
    id: 'M6',
    title: 'every namespace that runs pods has a default-deny NetworkPolicy (ingress and egress) and allows DNS egress',
    check: (object, index) => {
      if (!podSpecOf(object)) return [];
      const policies = index.ofKind('NetworkPolicy', object.metadata.namespace);
      const problems: string[] = [];
      const denyAll = policies.some(
        (p) => Object.keys(p.spec.podSelector?.matchLabels ?? {}).length === 0 && !p.spec.podSelector?.matchExpressions?.length
          && ['Ingress', 'Egress'].every((t) => (p.spec.policyTypes ?? []).includes(t)) && !p.spec.ingress?.length && !p.spec.egress?.length,
      );
      if (!denyAll) problems.push(`namespace ${object.metadata.namespace} has no default-deny NetworkPolicy`);
      const dns = policies.some((p) => (p.spec.egress ?? []).some((e: K8sObject) => (e.ports ?? []).some((port: K8sObject) => port.port === 53 && port.protocol === 'UDP')));
      if (!dns) problems.push(`namespace ${object.metadata.namespace} allows no DNS egress`);
      return problems;
    },
  },
  {
    id: 'M7',
    title: 'the IstioOperator enables the CNI component and keeps path normalization',
    check: (object) => {
      if (object.kind !== 'IstioOperator') return [];
      const problems: string[] = [];
      if (object.spec?.components?.cni?.enabled !== true) problems.push('components.cni.enabled is not true: injected pods would need NET_ADMIN and NET_RAW');
      if (object.spec?.meshConfig?.pathNormalization?.normalization === 'NONE') problems.push('pathNormalization NONE lets encoded paths slip past AuthorizationPolicies');
      const jwt = object.spec?.values?.global?.jwtPolicy;
      if (jwt !== undefined && jwt !== 'third-party-jwt') problems.push(`values.global.jwtPolicy is ${jwt}`);
      return problems;
    },
  },
  {
    id: 'M8',
    title: 'callers are matched with principals, never serviceAccounts (GHSA-9gcg-w975-3rjh)',
    check: (object) => {
      if (object.kind !== 'AuthorizationPolicy') return [];
      return (object.spec?.rules ?? []).flatMap((rule: K8sObject, i: number) =>
        (rule.from ?? []).flatMap((f: K8sObject, j: number) =>
          ['serviceAccounts', 'notServiceAccounts'].filter((k) => f.source?.[k] !== undefined).map((k) => `rules[${i}].from[${j}] matches callers with ${k}`),
        ),
      );
    },
  },
  {
    id: 'R2',
    title: 'Kong: DB-less, admin API on localhost or off, plugins from the catalog, CORS with explicit origins',
    check: (object, index) => {
      const pod = podSpecOf(object);
      if (!pod) return [];
      return (pod.containers ?? [])
        .filter((c: K8sObject) => /(^|\/)kong:/.test(c.image ?? ''))
        .flatMap((c: K8sObject) => {
          const env = new Map<string, string | undefined>((c.env ?? []).map((e: K8sObject) => [e.name, e.value]));
          const problems: string[] = [];
          if (env.get('KONG_DATABASE') !== 'off') problems.push('KONG_DATABASE is not off');
          for (const listen of ['KONG_ADMIN_LISTEN', 'KONG_ADMIN_GUI_LISTEN']) {
            const value = env.get(listen);
            const loopbackOnly = value !== undefined && value.split(',').every((l) => /^\s*(127\.0\.0\.1|\[::1\]|localhost):\d+/.test(l));
            if (value !== 'off' && !loopbackOnly) problems.push(`${listen} is ${value ?? 'unset (Kong listens by default)'}, not off or loopback`);
          }
          const config = kongConfigOf(object, pod, index, env.get('KONG_DECLARATIVE_CONFIG'));
          if (!config) return [...problems, 'no declarative config mounted from a ConfigMap'];
          const used = [...new Set([...(config.plugins ?? []), ...(config.services ?? []).flatMap((s: K8sObject) => (s.routes ?? []).flatMap((r: K8sObject) => r.plugins ?? []))].map((p: K8sObject) => p.name))].sort();
          if (env.get('KONG_PLUGINS') !== used.join(',')) problems.push(`KONG_PLUGINS is ${env.get('KONG_PLUGINS') ?? 'unset (bundled)'}, not exactly the plugins the config uses (${used.join(',')})`);
          for (const cors of (config.plugins ?? []).filter((p: K8sObject) => p.name === 'cors')) {
            const origins: string[] = cors.config?.origins ?? [];
            if (origins.length === 0 || origins.some((o) => o.includes('*'))) problems.push(`cors origins ${JSON.stringify(origins)} are not an explicit list`);
          }
          return problems;
        });
    },
  },
  {
    id: 'R1',
    title: 'Redis: password from a Secret, protected-mode yes, cluster bus only between Redis pods, cluster data on PVCs',
    check: (object, index) => {
      if (object.kind === 'ConfigMap') {
        return Object.entries<string>(object.data ?? {})
          .filter(([key, text]) => key.endsWith('.conf') && REDIS_CONFIG.test(text))
          .flatMap(([key, text]) => [
            ...(/^protected-mode\s+yes\s*$/m.test(text) ? [] : [`${key}: protected-mode is not yes`]),
            ...(/^(requirepass|masterauth)\s+\S/m.test(text) ? [`${key}: a password is written in the ConfigMap; read it from a Secret`] : []),
          ]);
      }
      if (object.kind === 'Service') {
        const bus = (object.spec.ports ?? []).some((p: K8sObject) => p.port === REDIS_BUS_PORT || p.targetPort === REDIS_BUS_PORT);
        return bus && object.spec.clusterIP !== 'None' ? [`exposes the cluster bus ${REDIS_BUS_PORT} on a non-headless Service`] : [];
      }
      if (object.kind === 'NetworkPolicy') {
        const own = object.spec.podSelector?.matchLabels;
        if (!index.workloadsSelectedBy(object.metadata.namespace, own).some(isRedisWorkload)) return [];
        return (object.spec.ingress ?? []).flatMap((rule: K8sObject, i: number) => {
          const opensBus = !rule.ports || rule.ports.some((p: K8sObject) => p.port === REDIS_BUS_PORT || p.port === 'tcp-redis-bus');
          const onlyMembers = (rule.from ?? []).length > 0 && rule.from.every((peer: K8sObject) => !peer.namespaceSelector && !peer.ipBlock && JSON.stringify(peer.podSelector?.matchLabels) === JSON.stringify(own));
          return opensBus && !onlyMembers ? [`ingress[${i}] opens the cluster bus to peers other than the Redis pods`] : [];
        });
      }
      if (!isRedisWorkload(object)) return [];
      const pod = podSpecOf(object)!;
      const problems: string[] = [];
      const config = mountedConfigText(object, index);
      // what the server starts with: its config files and the command that may append to them.
      const startup = [config, ...containersOf(pod).flatMap((c) => [...(c.command ?? []), ...(c.args ?? [])])].join('\n');
      // a cluster member keeps data and syncs replicas; a standalone cache (Kong's rate-limit
      // counters, which expire within the hour) has neither, by design.
      const clusterMember = /^cluster-enabled\s+yes/m.test(config);
      const claims = new Set((object.spec.volumeClaimTemplates ?? []).map((c: K8sObject) => c.metadata?.name));
      const mounted = containersOf(pod).flatMap((c) => (c.volumeMounts ?? []).map((m: K8sObject) => m.name));
      const pvcVolumes = (pod.volumes ?? []).filter((v: K8sObject) => v.persistentVolumeClaim).map((v: K8sObject) => v.name);
      if (clusterMember && !mounted.some((m) => claims.has(m) || pvcVolumes.includes(m))) problems.push('data is not on a PersistentVolumeClaim');
      if (!containersOf(pod).some((c) => (c.env ?? []).some((e: K8sObject) => e.valueFrom?.secretKeyRef))) problems.push('no password from a Secret (secretKeyRef)');
      for (const directive of clusterMember ? ['requirepass', 'masterauth'] : ['requirepass']) if (!startup.includes(directive)) problems.push(`${directive} is never set`);
      if (!/^protected-mode\s+yes\s*$/m.test(config)) problems.push('protected-mode yes is not in its config');
      return problems;
    },
  },
  {
    id: 'R3',
    title: 'Consul: gossip key from a Secret; ACLs on with default deny; 3 servers in prod with a PDB',
    check: (object, index, environment) => {
      if (object.kind === 'ConfigMap') {
        return Object.entries<string>(object.data ?? {}).flatMap(([key, text]) => {
          const config = consulServerConfig(key, text);
          if (!config) return [];
          return [
            ...(config.acl?.enabled === true ? [] : [`${key}: acl.enabled is not true`]),
            ...(config.acl?.default_policy === 'deny' ? [] : [`${key}: acl.default_policy is not deny`]),
            ...(config.encrypt !== undefined ? [`${key}: the gossip key is written in the ConfigMap; read it from a Secret`] : []),
            ...(config.encrypt_verify_incoming === false || config.encrypt_verify_outgoing === false ? [`${key}: gossip encryption verification is off`] : []),
          ];
        });
      }
      if (object.kind !== 'StatefulSet' || !containersOf(podSpecOf(object)!).some((c) => /(^|\/)consul:/.test(c.image ?? ''))) return [];
      const problems: string[] = [];
      const pod = podSpecOf(object)!;
      const config = mountedConfigText(object, index);
      if (!/encrypt/.test(config) || !containersOf(pod).some((c) => (c.env ?? []).some((e: K8sObject) => e.valueFrom?.secretKeyRef))) problems.push('no gossip encryption key from a Secret');
      const replicas = object.spec.replicas ?? 1;
      if (environment === 'prod' && (replicas < 3 || replicas % 2 === 0)) problems.push(`${replicas} servers in prod; run 3 or 5`);
      const labels = podLabelsOf(object);
      if (!index.ofKind('PodDisruptionBudget', object.metadata.namespace).some((p) => Object.entries(p.spec.selector?.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v))) problems.push('no PodDisruptionBudget selects the servers');
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
        const config = parse(object.data?.['config.yaml'] ?? '{}') ?? {};
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

/** Kong's declarative config as the pod reads it: the ConfigMap mounted over (or composed from) `path`'s folder. */
function kongConfigOf(object: K8sObject, pod: K8sObject, index: ObjectIndex, path: string | undefined): K8sObject | undefined {
  if (!path) return undefined;
  const file = path.slice(path.lastIndexOf('/') + 1);
  for (const volume of pod.volumes ?? []) {
    if (!volume.configMap) continue;
    const text = index.find('ConfigMap', object.metadata.namespace, volume.configMap.name)?.data?.[file];
    if (text) return parse(text);
  }
  return undefined;
}

const REDIS_BUS_PORT = 16379;
/** Directives only a Redis (or Valkey) server config holds. */
const REDIS_CONFIG = /^(cluster-enabled|appendonly|maxmemory-policy|requirepass)\s/m;

/** A StatefulSet or Deployment whose container runs a Redis or Valkey image. */
function isRedisWorkload(object: K8sObject): boolean {
  const pod = podSpecOf(object);
  return !!pod && ['StatefulSet', 'Deployment'].includes(object.kind) && (pod.containers ?? []).some((c: K8sObject) => /(^|\/)(redis|valkey)[^/]*:/.test(c.image ?? ''));
}

/** The text of every ConfigMap a pod mounts, for rules that read the config it starts with. */
function mountedConfigText(object: K8sObject, index: ObjectIndex): string {
  return (podSpecOf(object)?.volumes ?? [])
    .filter((v: K8sObject) => v.configMap)
    .map((v: K8sObject) => index.find('ConfigMap', object.metadata.namespace, v.configMap.name))
    .filter(Boolean)
    .flatMap((cm: K8sObject) => Object.values<string>(cm.data ?? {}))
    .join('\n');
}

/** A Consul server agent config (JSON with `server: true`), or undefined. */
function consulServerConfig(key: string, text: string): K8sObject | undefined {
  if (!key.endsWith('.json')) return undefined;
  try {
    const config = JSON.parse(text);
    return config && config.server === true ? config : undefined;
  } catch {
    return undefined;
  }
}

/** The collector configuration a ConfigMap holds (`config.yaml` with `receivers` and `service.pipelines`), or undefined. */
export function collectorConfigOf(object: K8sObject): K8sObject | undefined {
  if (object.kind !== 'ConfigMap') return undefined;
  const text = object.data?.['config.yaml'];
  if (typeof text !== 'string') return undefined;
  const config = parse(text);
  return config?.receivers && config?.service?.pipelines && !config.extensions?.jaeger_storage ? config : undefined;
}

function mebibytes(quantity: string | undefined): number | undefined {
  const m = /^(\d+)(Mi|Gi)$/.exec(quantity ?? '');
  return m ? Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1) : undefined;
}
