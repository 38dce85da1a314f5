import { didYouMean } from '../diagnostics';
import { ENVIRONMENTS, type EnvironmentName } from '../schema';
import type { Rule } from './rule';

/** Images: the generic workload's services name one, component-run ones none, and tag overrides name such a service. */
export const imageRules: readonly Rule[] = [
  {
    id: 'images',
    check: (doc) =>
      doc.services.flatMap((s, i) => {
        if (s.implementation && s.image) return [{ path: ['services', i, 'image'], message: `"${s.name}" is implemented by ${s.implementation}, whose image is pinned by the platform; remove this image` }];
        if (!s.implementation && !s.image) return [{ path: ['services', i], message: `"${s.name}" has no image; add image: { name: ..., tag: ... } with a pinned version` }];
        return [];
      }),
  },
  {
    id: 'image-tag-overrides-name-services',
    check: (doc) => {
      const names = new Set(doc.services.filter((s) => !s.implementation).map((s) => s.name));
      return ENVIRONMENTS.flatMap((env: EnvironmentName) =>
        Object.keys(doc.environments[env].imageTags ?? {}).flatMap((name) =>
          names.has(name) ? [] : [{ path: ['environments', env, 'imageTags', name], message: `unknown service "${name}"${didYouMean(name, names) || '; keys are names of services with an image'}` }],
        ),
      );
    },
  },
];
