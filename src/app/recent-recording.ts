/** When each example of the latest recording was added, so that its last seconds can be deleted right after it. */
import type { ModelId } from '../models/catalog';

export class RecentRecording {
  private latest: { readonly modelId: ModelId; readonly classId: string; readonly firstRow: number; readonly times: number[] } | null = null;

  /** Notes a row added to a class that held `rowsBefore` rows; a row that does not continue the recording starts one. */
  added(modelId: ModelId, classId: string, rowsBefore: number, time: number): void {
    const latest = this.latest;
    if (latest && latest.modelId === modelId && latest.classId === classId && latest.firstRow + latest.times.length === rowsBefore) {
      latest.times.push(time);
    } else {
      this.latest = { modelId, classId, firstRow: rowsBefore, times: [time] };
    }
  }

  /** Any other change to the examples: the rows' positions may have moved, so the recording is no longer known. */
  forget(): void {
    this.latest = null;
  }

  /**
   * The rows of the latest recording into `classId` with `modelId` added in its last `ms` milliseconds, if it is the
   * newest thing in that class (`rowCount` rows now); none otherwise. Rows before `fromRow` are never among them.
   */
  lastRows(modelId: ModelId, classId: string, rowCount: number, ms: number, fromRow = 0): number[] {
    const latest = this.latest;
    if (!latest || latest.modelId !== modelId || latest.classId !== classId || latest.firstRow + latest.times.length !== rowCount) return [];
    const end = latest.times.at(-1)!;
    return latest.times.flatMap((time, i) => (time >= end - ms && latest.firstRow + i >= fromRow ? [latest.firstRow + i] : []));
  }
}
