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
