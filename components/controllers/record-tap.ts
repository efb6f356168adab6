/**
 * Makes a quick tap on "Hold to record" count. A hold records every frame while it lasts, so a tap shorter than one
 * frame would record nothing and say nothing; here such a hold keeps recording until exactly one frame has gone to
 * its class, and then `onOneFrame` lets the app stop and say how to record more.
 */
export class RecordTap {
  /** The class of the hold under way, or null. */
  private holding: string | null = null;
  private recordedInHold = 0;
  /** The class a tap still owes one frame, or null. */
  private owed: string | null = null;

  constructor(private readonly onOneFrame: (classId: string) => void) {}

  /** A hold began recording into `classId`. */
  started(classId: string): void {
    this.holding = classId;
    this.recordedInHold = 0;
    this.owed = null;
  }

  /**
   * The hold on `classId` ended. Returns true when nothing was recorded during it: the app then keeps recording
   * into that class until `recorded` reports the one frame.
   */
  ended(classId: string): boolean {
    if (this.holding !== classId) return false;
    this.holding = null;
    if (this.recordedInHold > 0) return false;
    this.owed = classId;
    return true;
  }

  /** A frame was recorded into `classId`. */
  recorded(classId: string): void {
    if (classId === this.holding) this.recordedInHold++;
    if (classId === this.owed) {
      this.owed = null;
      this.onOneFrame(classId);
    }
  }

  /** Recording stopped for another reason (the class was deleted, the camera failed): nothing is owed. */
  cancel(): void {
    this.holding = null;
    this.owed = null;
  }
}
