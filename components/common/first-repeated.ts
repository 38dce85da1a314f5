/** The first value listed twice, for the "listed twice" errors of names that must be unique. */
export function firstRepeated(values: readonly string[]): string | undefined {
  return values.find((value, i) => values.indexOf(value) !== i);
}
