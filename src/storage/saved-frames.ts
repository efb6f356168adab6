/**
 * Placeholders for the kept frames a restore has not read yet. Reading 10,000 frames (96 MB) took longer than
 * everything else a reload reads, so the examples come back first, each stored frame standing in the class's kept
 * thumbnails as a placeholder: a string of its own (so that deleting, undoing and recording move it as they move a
 * frame), and an image that shows nothing (a blank GIF as a data URL, told apart by its fragment, which the browser
 * ignores). Each class's newest frame is read at once and kept as it is: autosave and the close journal tell the
 * frames added later from the stored ones by it. Once read, the frames replace their placeholders wherever they are
 * (Teachable.fillFrames).
 */

/** A 1 x 1 transparent GIF. */
const BLANK_IMAGE = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
const MARK = '#saved-frame-';

/** Whether `url` is a placeholder for a frame not read yet (autosave never writes one). */
export const isFramePlaceholder = (url: string) => url.startsWith(BLANK_IMAGE + MARK);

/** The placeholders of one restore, by class (classKey), in the order of the stored frames. */
export class SavedFramePlaceholders {
  /** Tells this restore's placeholders from those of any other (still held in an undo step, say). */
  private readonly restoreId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  private readonly counts = new Map<string, number>();
  private readonly newestFrames = new Map<string, string>();
  private placeholders = new Map<string, string[]>();

  /** One more stored frame of the class `key`. */
  count(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** The newest stored frame of the class `key`, which stands as itself. */
  newest(key: string, url: string): void {
    this.newestFrames.set(key, url);
  }

  countOf(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Every class's placeholders, oldest first. */
  byClass(): Map<string, string[]> {
    const byClass = new Map<string, string[]>();
    let n = 0;
    this.counts.forEach((count, key) => {
      const newest = this.newestFrames.get(key);
      const older = Array.from({ length: newest === undefined ? count : count - 1 }, () => `${BLANK_IMAGE}${MARK}${this.restoreId}-${n++}`);
      byClass.set(key, newest === undefined ? older : [...older, newest]);
    });
    this.placeholders = byClass;
    return byClass;
  }

  /**
   * Each placeholder with its frame, from the frames read by class (classKey(modelId, classId)); refused
   * (RangeError) when a class has not as many as were counted: the stored frames changed meanwhile.
   */
  fill(frames: ReadonlyMap<string, readonly string[]>): Map<string, string> {
    const filled = new Map<string, string>();
    for (const [key, placeholders] of this.placeholders) {
      const urls = frames.get(key) ?? [];
      if (urls.length !== placeholders.length) throw new RangeError(`The saved frames changed while they were read (${urls.length} of ${placeholders.length}).`);
      placeholders.forEach((placeholder, i) => {
        if (isFramePlaceholder(placeholder)) filled.set(placeholder, urls[i]);
        else if (placeholder !== urls[i]) throw new RangeError('The saved frames changed while they were read.');
      });
    }
    return filled;
  }
}
