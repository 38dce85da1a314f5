import { parseDuration } from '../duration';
import { ENVIRONMENTS } from '../schema';
import { effectiveLokiLimits } from '../telemetry';
import type { DocPath } from '../source';
import type { Finding, Rule } from './rule';

/** Logs and traces: retention Loki can keep, and ingestion limits that do not contradict each other. */
export const telemetryRules: readonly Rule[] = [
  {
    id: 'telemetry-retention',
    // Loki deletes whole index periods (24h), and a retention under a day would drop logs before anyone reads them.
    check: (doc) => {
      const places: { logs: string | undefined; path: DocPath }[] = [
        { logs: doc.platform.telemetry?.retention.logs, path: ['platform', 'telemetry', 'retention', 'logs'] },
        ...ENVIRONMENTS.map((env) => ({ logs: doc.environments[env].telemetry?.retention?.logs, path: ['environments', env, 'telemetry', 'retention', 'logs'] as DocPath })),
      ];
      return places.flatMap(({ logs, path }) => {
        const seconds = logs === undefined ? undefined : parseDuration(logs);
        if (seconds === undefined || (seconds >= 86400 && seconds % 86400 === 0)) return [];
        return [{ path, message: `log retention "${logs}" must be a whole number of days of at least 24h (Loki's index period is 24h), e.g. "168h" or "744h"` }];
      });
    },
  },
  {
    id: 'loki-limits',
    // Loki takes a burst below its rate silently, and then rejects what the rate allows; one stream
    // can never use more than its tenant, so a per-stream rate above the tenant's is a typo.
    check: (doc) => {
      const findings = new Map<string, Finding>();
      for (const env of ENVIRONMENTS) {
        const limits = effectiveLokiLimits(doc, env);
        const overlay = doc.environments[env].telemetry?.lokiLimits;
        const platform = doc.platform.telemetry?.lokiLimits;
        type Field = keyof typeof limits;
        // the field that set the offending value: the environment's first, then the platform's.
        const where = (...fields: Field[]): DocPath => {
          const own = fields.find((f) => overlay?.[f] !== undefined);
          if (own) return ['environments', env, 'telemetry', 'lokiLimits', own];
          const shared = fields.find((f) => platform?.[f] !== undefined);
          return shared ? ['platform', 'telemetry', 'lokiLimits', shared] : ['environments', env, 'telemetry'];
        };
        // a platform-level value is reported once, not once per environment that inherits it.
        const add = (path: DocPath, message: string) => {
          if (!findings.has(path.join('.'))) findings.set(path.join('.'), { path, message: path[0] === 'environments' ? message.replace(';', ` in ${env};`) : message });
        };
        if (limits.ingestionBurstSizeMb < limits.ingestionRateMb) {
          add(where('ingestionBurstSizeMb', 'ingestionRateMb'), `ingestionBurstSizeMb ${limits.ingestionBurstSizeMb} is below ingestionRateMb ${limits.ingestionRateMb}; a burst must be at least its rate, e.g. twice it`);
        }
        if (limits.perStreamRateLimitBurstMb < limits.perStreamRateLimitMb) {
          add(where('perStreamRateLimitBurstMb', 'perStreamRateLimitMb'), `perStreamRateLimitBurstMb ${limits.perStreamRateLimitBurstMb} is below perStreamRateLimitMb ${limits.perStreamRateLimitMb}; a burst must be at least its rate (Loki's defaults: 3 and 15)`);
        }
        if (limits.perStreamRateLimitMb > limits.ingestionRateMb) {
          add(where('perStreamRateLimitMb', 'ingestionRateMb'), `perStreamRateLimitMb ${limits.perStreamRateLimitMb} is above ingestionRateMb ${limits.ingestionRateMb}; one stream cannot use more than the whole tenant: lower it or raise ingestionRateMb`);
        }
      }
      return [...findings.values()];
    },
  },
];
