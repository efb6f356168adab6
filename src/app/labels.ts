/** How classes are named and coloured. No DOM or tfjs here: the dataset parser (also run in Node) uses it. */

export const MAX_LABEL_LENGTH = 60;

/** Labels are plain text on one line: control characters go, whitespace collapses, length is capped. */
export function cleanLabel(label: string): string {
  return collapseLabel(label)
    .slice(0, MAX_LABEL_LENGTH)
    .replace(/[\ud800-\udbff]$/, '') // never half of an emoji
    .trimEnd();
}

/** cleanLabel without the length cap, so an importer can tell a long label from a short one. */
export function collapseLabel(label: string): string {
  return label
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Distinct, readable on white, and told apart by most colour-blind people (Okabe-Ito, then Tableau). */
export const CLASS_COLORS: readonly string[] = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#d55e00',
  '#56b4e9',
  '#8c564b',
  '#7f7f7f',
  '#bcbd22',
  '#9467bd',
];

/** The colour of the n-th class made (n from 1), cycling through CLASS_COLORS. */
export function defaultColor(n: number): string {
  return CLASS_COLORS[(((n - 1) % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length];
}

/** Colours are stored as lower-case `#rrggbb`: one spelling, safe to drop into CSS. */
export function isColor(value: unknown): value is string {
  return typeof value === 'string' && /^#[0-9a-f]{6}$/.test(value);
}
