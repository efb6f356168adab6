/**
 * Why a file was refused. `where` points into the file the way a person would look for it
 * (`classes[2] "Rock", example 17, number 403`), with indices counted from 0 as in the file itself.
 */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';

  constructor(
    /** What is wrong, without the location. */
    readonly problem: string,
    /** Where in the file, or null when the problem is the file as a whole. */
    readonly where: string | null = null,
  ) {
    super(where ? `${where}: ${problem}` : problem);
  }
}

/** A JSON value's kind in words, for messages ("an array", "null", "a string"). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return value.length > 20 ? `a string ("${value.slice(0, 20)}…")` : `a string ("${value}")`;
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `${value}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** A label quoted for a location, shortened so a long hostile label cannot flood the message. */
export function quoteLabel(label: string): string {
  const short = label.length > 40 ? `${label.slice(0, 40)}…` : label;
  return JSON.stringify(short);
}
