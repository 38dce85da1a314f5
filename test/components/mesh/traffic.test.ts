import { Duration, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { DestinationRule, VirtualService, type CallerRoute } from '../../../components/mesh';

const host = 'look-service.apps.svc.cluster.local';
const pool = { maxConnections: 100, http1MaxPendingRequests: 64, http2MaxRequests: 1000 };
const ejection = { consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 50 };

describe('DestinationRule', () => {
  it('carries the connection pool, outlier detection and ISTIO_MUTUAL for the host', () => {
    const chart = Testing.chart();
    new DestinationRule(chart, 'dr', { name: 'look-service', namespace: 'apps', host, connectionPool: pool, outlierDetection: { ...ejection, interval: Duration.millis(2500) } });
    expect(Testing.synth(chart)).toEqual([
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'look-service', namespace: 'apps' },
        spec: {
          host,
          trafficPolicy: {
            connectionPool: { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 64, http2MaxRequests: 1000 } },
            outlierDetection: { consecutive5xxErrors: 5, interval: '2500ms', baseEjectionTime: '30s', maxEjectionPercent: 50 },
            tls: { mode: 'ISTIO_MUTUAL' },
          },
        },
      },
    ]);
  });

  it('declares subsets when given', () => {
    const chart = Testing.chart();
    new DestinationRule(chart, 'dr', { name: 'x', namespace: 'apps', host, connectionPool: pool, outlierDetection: ejection, subsets: [{ name: 'stable', labels: { track: 'a' } }, { name: 'canary', labels: { track: 'b' } }] });
    expect(Testing.synth(chart)[0].spec.subsets).toEqual([{ name: 'stable', labels: { track: 'a' } }, { name: 'canary', labels: { track: 'b' } }]);
  });

  it('rejects an ejection share outside 1..100 and a repeated subset', () => {
    expect(() => new DestinationRule(Testing.chart(), 'dr', { name: 'x', namespace: 'apps', host, connectionPool: pool, outlierDetection: { ...ejection, maxEjectionPercent: 0 } })).toThrow(
      'destination rule x: outlierDetection.maxEjectionPercent 0 is not a percentage; allowed 1..100',
    );
    expect(() => new DestinationRule(Testing.chart(), 'dr', { name: 'x', namespace: 'apps', host, connectionPool: pool, outlierDetection: ejection, subsets: [{ name: 'a', labels: {} }, { name: 'a', labels: {} }] })).toThrow(
      'destination rule x: subset "a" is listed twice; subset names must be unique',
    );
  });
});

describe('VirtualService', () => {
  const retried: CallerRoute = {
    name: 'xiaoai-service-retried',
    sourceLabels: { 'app.kubernetes.io/name': 'xiaoai-service' },
    methods: ['GET', 'PUT'],
    paths: ['/api/v1/look', '/api/v1/look/*'],
    timeout: Duration.seconds(10),
    retries: { attempts: 2, perTryTimeout: Duration.millis(1500), retryOn: ['connect-failure', '503'] },
  };
  const once: CallerRoute = { ...retried, name: 'xiaoai-service-not-retried', methods: ['POST'], paths: ['/api/v1/look'], retries: { attempts: 0 } };

  it('one route per caller: its pods, methods and paths on the http port, its timeout and retries', () => {
    const chart = Testing.chart();
    new VirtualService(chart, 'vs', { name: 'look-service', namespace: 'apps', host, port: 8000, routes: [retried, once] });
    const [vs] = Testing.synth(chart);
    expect(vs.spec).toEqual({
      hosts: [host],
      http: [
        {
          name: 'xiaoai-service-retried',
          match: [
            { sourceLabels: { 'app.kubernetes.io/name': 'xiaoai-service' }, port: 8000, method: { regex: 'GET|PUT' }, uri: { exact: '/api/v1/look' } },
            { sourceLabels: { 'app.kubernetes.io/name': 'xiaoai-service' }, port: 8000, method: { regex: 'GET|PUT' }, uri: { prefix: '/api/v1/look/' } },
          ],
          route: [{ destination: { host, port: { number: 8000 } } }],
          timeout: '10s',
          retries: { attempts: 2, perTryTimeout: '1500ms', retryOn: 'connect-failure,503' },
        },
        {
          name: 'xiaoai-service-not-retried',
          match: [{ sourceLabels: { 'app.kubernetes.io/name': 'xiaoai-service' }, port: 8000, method: { exact: 'POST' }, uri: { exact: '/api/v1/look' } }],
          route: [{ destination: { host, port: { number: 8000 } } }],
          timeout: '10s',
          // attempts 0 turns Istio's default retry policy off for this route.
          retries: { attempts: 0 },
        },
      ],
    });
  });

  it('splits every route between the subsets by weight', () => {
    const chart = Testing.chart();
    new VirtualService(chart, 'vs', { name: 'x', namespace: 'apps', host, port: 8000, routes: [once], split: [{ subset: 'stable', weight: 80 }, { subset: 'canary', weight: 20 }] });
    expect(Testing.synth(chart)[0].spec.http[0].route).toEqual([
      { destination: { host, subset: 'stable', port: { number: 8000 } }, weight: 80 },
      { destination: { host, subset: 'canary', port: { number: 8000 } }, weight: 20 },
    ]);
  });

  it('rejects no routes, a repeated route name and weights that do not add up to 100', () => {
    const props = { name: 'x', namespace: 'apps', host, port: 8000 };
    expect(() => new VirtualService(Testing.chart(), 'vs', { ...props, routes: [] })).toThrow('virtual service x: has no routes; a service nobody calls needs no VirtualService');
    expect(() => new VirtualService(Testing.chart(), 'vs', { ...props, routes: [once, once] })).toThrow('virtual service x: route "xiaoai-service-not-retried" is listed twice; route names must be unique');
    expect(() => new VirtualService(Testing.chart(), 'vs', { ...props, routes: [once], split: [{ subset: 'stable', weight: 90 }, { subset: 'canary', weight: 20 }] })).toThrow(
      'virtual service x: split weights add up to 110; allowed: exactly 100',
    );
  });
});
