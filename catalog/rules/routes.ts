import { parseDuration } from '../duration';
import type { DocPath } from '../source';
import type { Rule } from './rule';

/** Public routes: on an http port, disjoint prefixes, and rate limits, timeouts and paths Kong accepts. */
export const routeRules: readonly Rule[] = [
  {
    id: 'route-needs-http',
    check: (doc) =>
      doc.services.flatMap((s, i) =>
        s.route && s.ports.http === undefined ? [{ path: ['services', i, 'route'], message: `"${s.name}" has a public route but no http port; add ports.http or remove the route` }] : [],
      ),
  },
  {
    id: 'unique-routes',
    check: (doc) => {
      const routes = doc.services.flatMap((s, i) => (s.route ? [{ service: s.name, path: s.route.path, at: ['services', i, 'route', 'path'] as DocPath }] : []));
      return routes.flatMap((a, ai) =>
        routes.slice(0, ai).flatMap((b) => {
          if (a.path === b.path) return [{ path: a.at, message: `route path "${a.path}" is already used by "${b.service}"; every public path belongs to one service` }];
          const [outer, inner] = a.path.length < b.path.length ? [a, b] : [b, a];
          if (inner.path.startsWith(`${outer.path.replace(/\/$/, '')}/`)) {
            return [{ path: a.at, message: `route path "${inner.path}" (${inner.service}) lies under "${outer.path}" (${outer.service}); the gateway would send one service's traffic to the other, use disjoint prefixes` }];
          }
          return [];
        }),
      );
    },
  },
  {
    id: 'rate-limit-periods',
    // Kong's own schema rejects both (rate-limiting/schema.lua: at_least_one_of, validate_periods_order).
    check: (doc) =>
      doc.services.flatMap((s, i) => {
        const limits = s.route?.plugins?.['rate-limiting'];
        if (!limits) return [];
        const at: DocPath = ['services', i, 'route', 'plugins', 'rate-limiting'];
        if (limits.minute === undefined && limits.hour === undefined) return [{ path: at, message: 'rate-limiting sets no limit; add minute, hour or both' }];
        if (limits.minute !== undefined && limits.hour !== undefined && limits.hour < limits.minute) {
          return [{ path: [...at, 'hour'], message: `hour limit (${limits.hour}) is below the minute limit (${limits.minute}); an hour holds sixty minutes, raise hour to at least ${limits.minute}` }];
        }
        if (Number.isInteger(limits.minute) && limits.minute !== undefined && limits.hour !== undefined && limits.hour > limits.minute * 60) {
          return [{ path: [...at, 'hour'], message: `hour limit (${limits.hour}) can never be reached: sixty minutes of ${limits.minute} allow only ${limits.minute * 60}; lower hour to at most ${limits.minute * 60} or raise minute` }];
        }
        return [];
      }),
  },
  {
    id: 'route-timeout-within-kong',
    // Kong 3.9 kong/db/schema/typedefs.lua `typedefs.timeout`: an integer of milliseconds between
    // 0 and 2^31-2; a larger value stops Kong from loading its config. 0 would mean no wait at all.
    check: (doc) =>
      doc.services.flatMap((s, i) => {
        const timeout = s.route?.timeout;
        const seconds = timeout === undefined ? undefined : parseDuration(timeout);
        if (seconds === undefined || (seconds >= 1 && seconds * 1000 <= KONG_TIMEOUT_MAX_MS)) return [];
        const max = Math.floor(KONG_TIMEOUT_MAX_MS / 1000);
        return [{ path: ['services', i, 'route', 'timeout'], message: `timeout "${timeout}" is outside what Kong accepts (1s to ${max}s, about ${Math.floor(max / 3600)}h: at most 2^31-2 ms); use e.g. "60s"` }];
      }),
  },
  {
    id: 'route-path-normalized',
    // Kong 3.9 typedefs.router_path: "must not have empty segments" (`//`), and a prefix path must be
    // in normalized form (no `.` or `..` segment); the mesh also merges slashes before matching.
    check: (doc) =>
      doc.services.flatMap((s, i) => {
        const path = s.route?.path;
        if (path === undefined) return [];
        const at: DocPath = ['services', i, 'route', 'path'];
        if (path.includes('//')) return [{ path: at, message: `route path "${path}" has an empty segment ("//"), which Kong rejects; use "${path.replace(/\/{2,}/g, '/')}"` }];
        if (path.split('/').some((segment) => segment === '.' || segment === '..')) {
          return [{ path: at, message: `route path "${path}" has a "." or ".." segment, which Kong rejects (not normalized) and clients never send after normalizing; write the path without it` }];
        }
        return [];
      }),
  },
];

/** Kong 3.9 typedefs.timeout: at most 2^31-2 milliseconds. */
export const KONG_TIMEOUT_MAX_MS = 2 ** 31 - 2;
