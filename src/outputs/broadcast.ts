/** The BroadcastChannel messages other pages of the same origin can listen to (see examples/dot.html). */

export const OUTPUT_CHANNEL = 'teachable-knn';

/** Posted when a class whose output is "broadcast" becomes the stable top class. */
export interface ClassChangeMessage {
  readonly type: 'class-change';
  readonly classId: string;
  readonly label: string;
  /** The class's position in the app's list, from 0. */
  readonly index: number;
  /** Smoothed, from 0 to 1. */
  readonly confidence: number;
  readonly previousClassId: string | null;
  readonly previousLabel: string | null;
  /** ms since the epoch. */
  readonly time: number;
}

export function isClassChangeMessage(value: unknown): value is ClassChangeMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  return (
    message.type === 'class-change' &&
    typeof message.classId === 'string' &&
    typeof message.label === 'string' &&
    typeof message.index === 'number' &&
    typeof message.confidence === 'number'
  );
}
