/**
 * Kubernetes resource quantities, limited to the forms the catalog accepts: CPU in cores or
 * millicores (`0.5`, `250m`) and memory in binary units (`256Mi`, `2Gi`). Decimal memory suffixes
 * (`M`, `G`) are rejected on purpose: `512M` next to `512Mi` is a classic sizing mistake.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */

const CPU = /^(\d+(?:\.\d{1,3})?)(m?)$/;
const MEMORY = /^(\d+)(Ki|Mi|Gi|Ti)$/;
const MEMORY_FACTORS: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

/** Millicores of a CPU quantity, or undefined when the text is not one. */
export function parseCpu(text: string): number | undefined {
  const match = CPU.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  const millis = match[2] === 'm' ? value : value * 1000;
  return Number.isInteger(millis) && millis > 0 ? millis : undefined;
}

/** Bytes of a memory quantity, or undefined when the text is not one. */
export function parseMemory(text: string): number | undefined {
  const match = MEMORY.exec(text);
  if (!match) return undefined;
  const bytes = Number(match[1]) * MEMORY_FACTORS[match[2]];
  return bytes > 0 ? bytes : undefined;
}

/** The canonical text of a CPU amount: whole cores as `2`, anything else in millicores. */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** The canonical text of a memory amount in the largest binary unit that divides it. */
export function formatMemory(bytes: number): string {
  for (const unit of ['Ti', 'Gi', 'Mi', 'Ki']) {
    if (bytes % MEMORY_FACTORS[unit] === 0) return `${bytes / MEMORY_FACTORS[unit]}${unit}`;
  }
  return `${Math.ceil(bytes / 1024)}Ki`;
}

/** Scales a CPU quantity, rounding up to a whole millicore so a scaled request never reaches zero. */
export function scaleCpu(text: string, factor: number): string {
  return formatCpu(Math.max(1, Math.ceil(mustParse(parseCpu, text, 'cpu') * factor)));
}

/** Scales a memory quantity, rounding up to a whole MiB. */
export function scaleMemory(text: string, factor: number): string {
  const mib = 1024 ** 2;
  return formatMemory(Math.max(1, Math.ceil((mustParse(parseMemory, text, 'memory') * factor) / mib)) * mib);
}

function mustParse(parse: (text: string) => number | undefined, text: string, what: string): number {
  const value = parse(text);
  if (value === undefined) throw new Error(`invalid ${what} quantity "${text}"`);
  return value;
}

const ANY_QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;
const SUFFIX_FACTORS: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
};

/**
 * The value of any Kubernetes quantity in base units (cores, bytes), accepting every form the API
 * server does (`2`, `0.5`, `500m`, `512M`, `1Gi`, `1e9`), for reading objects that did not come
 * from the catalog (third-party images, other charts). Undefined when the text is not a quantity.
 */
export function parseQuantity(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  const match = ANY_QUANTITY.exec(text.trim());
  return match ? Number(match[1]) * SUFFIX_FACTORS[match[2] ?? ''] : undefined;
}
