import { formatCpu, formatMemory } from '../catalog/quantity';

/** Millicores, exact and short: `2`, `62.5`, `500m`, `0` (all valid Kubernetes quantities). */
export function cpuText(millis: number): string {
  if (millis === 0) return '0';
  return millis >= 1000 ? String(millis / 1000) : formatCpu(millis);
}

const UNITS: readonly [string, number][] = [['Ti', 1024 ** 4], ['Gi', 1024 ** 3], ['Mi', 1024 ** 2], ['Ki', 1024]];

/** Bytes, exact and short, in the largest binary unit that gives at most three decimals: `24Gi`, `20.5Gi`, `0`. */
export function memoryText(bytes: number): string {
  if (bytes === 0) return '0';
  for (const [unit, factor] of UNITS) {
    const value = bytes / factor;
    if (value >= 1 && Math.round(value * 1000) === value * 1000) return `${value}${unit}`;
  }
  return formatMemory(bytes);
}

/** A signed delta: `+500m`, `-1Gi`, `±0`. */
export function signed(value: number, text: (n: number) => string): string {
  return value === 0 ? '±0' : `${value > 0 ? '+' : '-'}${text(Math.abs(value))}`;
}

/** A field value on one line: strings bare, absent as `(unset)`, anything else as compact JSON. */
export function valueText(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
