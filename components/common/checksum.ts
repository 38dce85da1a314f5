import { createHash } from 'node:crypto';

/**
 * The checksum annotation a pod template carries for config it reads at start: when the content
 * changes, the template changes, and the pods roll (DESIGN.md "Output rules").
 */
export function contentChecksum(content: unknown): string {
  return createHash('sha256').update(stableJson(content)).digest('hex');
}

/** JSON with object keys sorted, so the checksum never depends on insertion order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
