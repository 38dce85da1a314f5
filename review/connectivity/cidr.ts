/** IPv4 and IPv6 address ranges for NetworkPolicy ipBlock matching. */
interface Range {
  readonly v6: boolean;
  readonly first: bigint;
  readonly last: bigint;
}

function parseAddress(text: string): { v6: boolean; value: bigint } {
  if (text.includes(':')) {
    const [head, tail = ''] = text.split('::');
    const groups = (part: string) => (part ? part.split(':') : []);
    const left = groups(head);
    const right = text.includes('::') ? groups(tail) : [];
    const fill = text.includes('::') ? 8 - left.length - right.length : 0;
    const all = [...left, ...Array(fill).fill('0'), ...right];
    if (all.length !== 8 || all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) throw new Error(`address "${text}" is not an IPv6 address`);
    return { v6: true, value: all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
  }
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new Error(`address "${text}" is not an IPv4 address`);
  return { v6: false, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n) };
}

/** A CIDR (`10.0.0.0/8`) or a single address (`10.1.2.3`, a /32 or /128). */
export function parseCidr(text: string): Range {
  const [address, prefixText] = text.split('/');
  const { v6, value } = parseAddress(address);
  const bits = v6 ? 128 : 32;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) throw new Error(`cidr "${text}" has an invalid prefix length; allowed: 0 to ${bits}`);
  const size = 1n << BigInt(bits - prefix);
  const first = (value / size) * size;
  return { v6, first, last: first + size - 1n };
}

function within(inner: Range, outer: Range): boolean {
  return inner.v6 === outer.v6 && inner.first >= outer.first && inner.last <= outer.last;
}

function overlaps(a: Range, b: Range): boolean {
  return a.v6 === b.v6 && a.first <= b.last && b.first <= a.last;
}

/**
 * Whether every address of `inner` is admitted by an ipBlock: inside `cidr` and outside each `except`.
 * @see https://github.com/kubernetes/api/blob/master/networking/v1/types.go (IPBlock)
 */
export function ipBlockCovers(block: { readonly cidr: string; readonly except?: readonly string[] }, inner: string): boolean {
  const range = parseCidr(inner);
  return within(range, parseCidr(block.cidr)) && !(block.except ?? []).some((e) => overlaps(range, parseCidr(e)));
}
