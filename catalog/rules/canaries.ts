import { didYouMean } from '../diagnostics';
import type { Rule } from './rule';
import { ENVIRONMENTS, type EnvironmentName } from '../schema';

/** Canaries name a service the generic workload runs, at a tag other than the stable one. */
export const canaryRules: readonly Rule[] = [
  {
    id: 'canaries-name-services',
    check: (doc) => {
      const services = new Map(doc.services.filter((s) => !s.implementation && s.image).map((s) => [s.name, s]));
      return ENVIRONMENTS.flatMap((env: EnvironmentName) =>
        Object.entries(doc.environments[env].canaries ?? {}).flatMap(([name, canary]) => {
          const service = services.get(name);
          if (!service) {
            return [{ path: ['environments', env, 'canaries', name], message: `unknown service "${name}"${didYouMean(name, services.keys()) || '; keys are names of services with an image'}` }];
          }
          const stable = doc.environments[env].imageTags?.[name] ?? service.image!.tag;
          return canary.tag === stable
            ? [{ path: ['environments', env, 'canaries', name, 'tag'], message: `canary tag ${canary.tag} is the stable tag of "${name}" in ${env}; a canary runs another version, use the new tag` }]
            : [];
        }),
      );
    },
  },
];
