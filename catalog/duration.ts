/**
 * Durations in the catalog are written with a unit (`5s`, `2m`, `1h`), never as bare numbers, so a
 * reader never has to guess whether `30` means seconds or milliseconds.
 */

const DURATION = /^(\d+)(s|m|h)$/;
const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** Whole seconds of a duration text, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  return match ? Number(match[1]) * SECONDS[match[2]] : undefined;
}

const PRECISE_DURATION = /^(\d+)(ms|s|m|h)$/;
const MILLISECONDS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration text that may use `ms` (timeouts, retries), or undefined when it is not one. */
export function parseDurationMs(text: string): number | undefined {
  const match = PRECISE_DURATION.exec(text);
  return match ? Number(match[1]) * MILLISECONDS[match[2]] : undefined;
}

/** A duration as Istio writes it: whole seconds as `5s`, anything finer as `2500ms`. */
export function formatDurationMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
