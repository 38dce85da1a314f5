import { z } from 'zod';
import { imageTagProblem } from '../image-tag';
import { formatCpu, formatMemory, parseCpu, parseMemory } from '../quantity';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 label: what Kubernetes accepts as a Service, ServiceAccount or Namespace name. */
export const dnsLabel = z
  .string()
  .max(63, 'must be at most 63 characters (a DNS-1123 label)')
  .regex(DNS_LABEL, 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit');

export const port = z.number().int().min(1).max(65535);
export const positiveInt = z.number().int().min(1);
export const percent = z.number().int().min(1, 'must be a percentage from 1 to 100').max(100, 'must be a percentage from 1 to 100');
/**
 * CPU as Kubernetes accepts it: cores as a number or string (`2`, `0.5`, `"1.5"`) or millicores
 * (`"250m"`); read into its canonical text (`2`, `500m`), which is what the output carries.
 */
export const cpu = z
  .union([z.number().positive('must be a positive number of cores such as 0.5 or 2'), z.string().regex(/^\d+(\.\d{1,3})?m?$/, 'must be a CPU quantity such as "250m", "1" or 0.5')])
  .refine((v) => parseCpu(String(v)) !== undefined, 'must be a whole number of millicores (at most 3 decimals of a core) above zero, such as 0.25 or "250m"')
  .transform((v) => formatCpu(parseCpu(String(v))!));
/** Memory in binary units (`256Mi`, `2Gi`), canonical text in the output (`1024Mi` becomes `1Gi`). */
export const memory = z
  .string()
  .regex(/^\d+(Ki|Mi|Gi|Ti)$/, 'must be a memory quantity in binary units such as "256Mi" or "2Gi"')
  .transform((v) => formatMemory(parseMemory(v)!));
export const duration = z.string().regex(/^\d+(s|m|h)$/, 'must be a duration with a unit such as "5s", "2m" or "1h"');
/** A version or a digest, never a moving name (rule and examples: catalog/image-tag.ts). */
export const imageTag = z.string().superRefine((tag, ctx) => {
  const problem = imageTagProblem(tag);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
export const hostname = z
  .string()
  .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a lowercase DNS name such as "api.suoke.life"');
export const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as "LOG_LEVEL"');
export const configKey = z.string().regex(/^[A-Za-z0-9][-._A-Za-z0-9]*$/, 'must be a ConfigMap key: letters, digits, "-", "_" and "."');

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const httpMethod = z.enum(HTTP_METHODS);

/** An Istio-style path: exact, or a prefix ending in `*` (`/api/v1/diagnosis/*`). */
export const pathPattern = z
  .string()
  .regex(/^\/[A-Za-z0-9._~\-/]*\*?$/, 'must start with "/" and may end with "*" (e.g. "/api/v1/diagnosis/*")');

export const LAYERS = ['core', 'agents', 'diagnosis', 'support'] as const;

/** A Secret by reference: its name in the consuming namespace and the key in it, never a value. */
export const secretKeyRef = z.strictObject({ name: dnsLabel, key: configKey });

export type HttpMethod = (typeof HTTP_METHODS)[number];
export type Layer = (typeof LAYERS)[number];
