/**
 * What the runtime refuses, and why, in words for the person using it: every failure of loadClassifier and
 * classify is one of these, so a page or a command line can show `message` and nothing else.
 */
export type ClassifierErrorKind =
  /** The classes file is missing, unreadable, not a dataset, or holds no examples. */
  | 'classes-file'
  /** The model's files could not be loaded (not found, no network, damaged). */
  | 'model'
  /** The classes were made with another model than the one asked for. */
  | 'wrong-model'
  /** What classify() was given is not an image it can read. */
  | 'image'
  /** An option is out of range. */
  | 'options'
  /** The classifier was disposed. */
  | 'disposed';

export class ClassifierError extends Error {
  override readonly name = 'ClassifierError';

  constructor(
    readonly kind: ClassifierErrorKind,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An error's own message, without a stack. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
