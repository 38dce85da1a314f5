import { describe, expect, it } from 'vitest';
import { ipBlockCovers, istioMatch, patternCovers, patternOverlaps, selects, valueSet } from '../../../review/connectivity';

describe('label selectors', () => {
  const labels = { app: 'api', tier: 'web' };
  it.each([
    [{}, true],
    [{ matchLabels: { app: 'api' } }, true],
    [{ matchLabels: { app: 'db' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'edge'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['edge'] }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['edge'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [{ matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['edge'] }] }, false],
  ])('%j selects {app: api, tier: web}: %s', (selector, expected) => {
    expect(selects(selector, labels)).toBe(expected);
  });

  it('refuses an unknown operator naming it', () => {
    expect(() => selects({ matchExpressions: [{ key: 'a', operator: 'Gt' }] }, labels)).toThrow('label selector operator "Gt" is not supported; allowed: In, NotIn, Exists, DoesNotExist');
  });
});

describe('ipBlock', () => {
  it.each([
    [{ cidr: '10.0.0.0/8' }, '10.1.2.3', true],
    [{ cidr: '10.0.0.0/8' }, '11.0.0.1', false],
    [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }, '10.1.2.3', false],
    [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }, '10.2.0.0/16', true],
    [{ cidr: '10.0.0.0/16' }, '10.0.0.0/8', false],
    [{ cidr: '0.0.0.0/0' }, '2001:db8::1', false],
    [{ cidr: '2001:db8::/32' }, '2001:db8::1', true],
    [{ cidr: '2001:db8::/32', except: ['2001:db8::/64'] }, '2001:db8::1', false],
  ])('%j covers %s: %s', (block, inner, expected) => {
    expect(ipBlockCovers(block, inner)).toBe(expected);
  });
});

describe('Istio string and path matching', () => {
  it.each([
    ['/a/b', '/a/b', true],
    ['/a/b', '/a/c', false],
    ['/a/*', '/a/b', true],
    ['/a/*', '/b', false],
    ['*/b', '/a/b', true],
    ['*/b', '/a/c', false],
    ['*', '/anything', true],
  ])('pattern %s matches %s: %s', (pattern, value, expected) => {
    expect(istioMatch(pattern, value)).toBe(expected);
  });

  it.each([
    ['/a/*', '/a/*', true],
    ['/*', '/a/*', true],
    ['*', '/a/*', true],
    ['/a/b/*', '/a/*', false],
    ['/a', '/a/*', false],
    ['*/x', '/a/*', false],
    ['*/x', '/a/x', true],
    ['/a/*', '/a/x', true],
    ['/a/x', '/a/x', true],
    ['/a/*', '*', false],
  ])('policy path %s covers every request %s: %s', (pattern, required, expected) => {
    expect(patternCovers(pattern, valueSet(required))).toBe(expected);
  });

  it.each([
    ['/a/b/*', '/a/*', true],
    ['/b/*', '/a/*', false],
    ['/a/x', '/a/*', true],
    ['/b', '/a/*', false],
    ['*/x', '/a/*', true],
    ['/admin/*', '*', true],
  ])('policy path %s overlaps some request of %s: %s', (pattern, required, expected) => {
    expect(patternOverlaps(pattern, valueSet(required))).toBe(expected);
  });
});
