import type { Construct } from 'constructs';
import type { PlatformModel } from '../catalog';
import { declarePolicyException, PlatformNamespace, standardLabels } from '../components/common';
import { PlatformChart } from './platform-chart';

/** The platform's namespaces; every other chart depends on this one, so they exist first. */
export class NamespacesChart extends PlatformChart {
  constructor(scope: Construct, model: PlatformModel) {
    super(scope, 'namespaces', model);
    const { apps, data, observability } = model.namespaces;
    for (const name of [apps, data, observability].sort()) {
      new PlatformNamespace(this, name, {
        name,
        labels: standardLabels({ name, instance: this.instance, component: 'namespace', partOf: model.platform.name }),
      });
    }
    // the log agent's namespace: meshed (it sends to the collector under STRICT mTLS) but
    // `privileged`, since the restricted and baseline levels both forbid its hostPath volume.
    const agentNamespace = model.telemetry.agentNamespace;
    const agent = new PlatformNamespace(this, agentNamespace, {
      name: agentNamespace,
      labels: standardLabels({ name: agentNamespace, instance: this.instance, component: 'namespace', partOf: model.platform.name }),
      podSecurity: 'privileged',
    });
    declarePolicyException(agent.resource, 'M5', 'holds only the OpenTelemetry log agent, whose read-only hostPath of /var/log/pods Pod Security restricted and baseline both reject');
  }
}
