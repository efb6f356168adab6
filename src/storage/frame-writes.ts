/** Which of a class's kept frames a write puts: only the new ones while recording, all of them after any other change. */
import type { Stored } from './pending';

export interface FrameWrite {
  /** Delete the class's stored frames first (and version 2's record of them). */
  readonly rewrite: boolean;
  /** The first kept frame to put. */
  readonly fromIndex: number;
}

/**
 * The frames to write for a class whose kept frames are now `kept`, given what is stored. Appending is only right
 * when the stored frames are the first of `kept`: frames are only ever added after the others, so that holds when
 * the newest stored one is still in its place. Anything else (rows deleted or put back, the class cleared, frames
 * still in version 2's record) rewrites them.
 */
export function planFrameWrite(kept: readonly string[], stored: Stored | undefined, rewriteRows: boolean): FrameWrite {
  const storedFrames = stored?.frames;
  const appends =
    !rewriteRows && storedFrames !== undefined && storedFrames <= kept.length && (storedFrames === 0 || kept[storedFrames - 1] === stored?.lastThumbnail);
  return appends ? { rewrite: false, fromIndex: storedFrames } : { rewrite: true, fromIndex: 0 };
}
