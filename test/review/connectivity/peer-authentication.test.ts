import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../review/connectivity';
import { blockers, namespace, peerAuthentication, pods, required, service } from './builders';

const BASE: KubeObject[] = [
  namespace('m', { 'istio-injection': 'enabled' }),
  namespace('plain'),
  pods('m', 'client'),
  pods('m', 'server', { ports: [{ name: 'http', containerPort: 8080 }, { name: 'tcp-x', containerPort: 9000 }], annotations: { 'traffic.sidecar.istio.io/excludeInboundPorts': '9000' } }),
  pods('plain', 'legacy'),
  service('m', 'server', { app: 'server' }, [{ name: 'http', port: 8080 }, { name: 'tcp-x', port: 9000 }]),
];
const PLAIN = required('plain/legacy', 'm/server', 8080);
const root = (mode: string) => peerAuthentication('istio-system', 'default', { mtls: { mode } });
const nsWide = (mode: string, extra: KubeObject = {}) => peerAuthentication('m', 'default', { mtls: { mode }, ...extra });
const workload = (mode: string, extra: KubeObject = {}) => peerAuthentication('m', 'server', { selector: { matchLabels: { app: 'server' } }, mtls: { mode }, ...extra });
const refusals = (objects: KubeObject[], connection = PLAIN) => blockers(objects, connection).map((f) => `${f.layer} ${f.policy}`);

describe('PeerAuthentication', () => {
  it('defaults to PERMISSIVE, and a root-namespace STRICT refuses plain text', () => {
    expect(refusals(BASE)).toEqual([]);
    expect(blockers([...BASE, root('STRICT')], PLAIN)).toEqual([
      {
        layer: 'PeerAuthentication',
        policy: 'PeerAuthentication/istio-system/default',
        message: 'plain/legacy -> m/server:8080/TCP: plain/legacy has no sidecar, so it speaks plain text, and PeerAuthentication/istio-system/default requires mTLS (STRICT) on m/server port 8080',
        fix: "inject a sidecar into plain/legacy, or exclude port 8080 from m/server's sidecar (traffic.sidecar.istio.io/excludeInboundPorts), or set portLevelMtls 8080: PERMISSIVE in a PeerAuthentication selecting m/server",
      },
    ]);
  });

  it('lets a namespace-wide policy override the root one, and a workload policy override both', () => {
    expect(refusals([...BASE, root('STRICT'), nsWide('PERMISSIVE')])).toEqual([]);
    expect(refusals([...BASE, root('PERMISSIVE'), nsWide('PERMISSIVE'), workload('STRICT')])).toEqual(['PeerAuthentication PeerAuthentication/m/server']);
  });

  it('inherits through UNSET', () => {
    expect(refusals([...BASE, root('STRICT'), nsWide('UNSET')])).toEqual(['PeerAuthentication PeerAuthentication/istio-system/default']);
  });

  it('applies portLevelMtls of a workload policy, and ignores it without a selector', () => {
    expect(refusals([...BASE, workload('STRICT', { portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } })])).toEqual([]);
    expect(refusals([...BASE, nsWide('STRICT', { portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } })])).toEqual(['PeerAuthentication PeerAuthentication/m/default']);
  });

  it('admits a meshed source under STRICT', () => {
    expect(refusals([...BASE, root('STRICT')], required('m/client', 'm/server', 8080))).toEqual([]);
  });

  it('lets excluded and uncaptured ports bypass mTLS', () => {
    expect(refusals([...BASE, root('STRICT')], required('plain/legacy', 'm/server', 9000))).toEqual([]);
    expect(refusals([...BASE, root('STRICT')], required('plain/legacy', 'm/server', 15020))).toEqual([]);
  });

  it('does not apply to a destination without a sidecar', () => {
    expect(refusals([...BASE, root('STRICT'), pods('plain', 'other')], required('plain/legacy', 'plain/other', 8080))).toEqual([]);
  });
});
