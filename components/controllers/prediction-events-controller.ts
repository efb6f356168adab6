import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { OUTPUT_CHANNEL } from '../../src/outputs/broadcast';
import type { ClassOutput } from '../../src/outputs/class-output';
import { OutputPlayer, browserDevices } from '../../src/outputs/player';
import { SoundFileError, readSoundFile } from '../../src/outputs/sound-file';
import { barValues, type BarValue, type ClassChangeDetail, type PredictionDetail, type StreamStep } from '../../src/pipeline/prediction-stream';
import { readViewPreferences, writeViewPreferences } from '../../src/storage/view-preferences';
import type { ClassInfo, Teachable, TeachableChange } from '../../src/app/teachable';

export type { BarValue, ClassChangeDetail, PredictionDetail } from '../../src/pipeline/prediction-stream';

/**
 * Dispatches each frame's stream step (made by the core: Teachable.processFrame) as the host's `tm-prediction` event
 * (every frame) and `tm-class-change` event (when the stable top class changes), and plays the new class's output on a
 * change, never per frame.
 */
export class PredictionEventsController implements ReactiveController {
  private showRawNow = false;
  private devices: ReturnType<typeof browserDevices> | null = null;
  private player: OutputPlayer | null = null;
  private mutedNow = false;
  /** Why the last sound file picked for a class was refused, by class id. */
  private readonly soundProblems = new Map<string, string>();

  /**
   * @param preferencesKey where mute and raw values are kept between visits (src/storage/view-preferences.ts);
   *   without it they last only while the host lives.
   */
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly teachable: Teachable,
    private readonly onProblem: (message: string) => void,
    private readonly preferencesKey: (() => string) | null = null,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.preferencesKey) {
      const saved = readViewPreferences(this.preferencesKey());
      this.mutedNow = saved.muted;
      this.showRawNow = saved.showRaw;
    }
    this.teachable.addEventListener('change', this.onChange);
    this.devices = browserDevices(OUTPUT_CHANNEL);
    this.player = new OutputPlayer(this.devices, this.onProblem);
    this.player.muted = this.mutedNow;
  }

  hostDisconnected(): void {
    this.teachable.removeEventListener('change', this.onChange);
    this.player?.stop();
    this.devices?.close();
    this.player = null;
    this.devices = null;
  }

  get muted(): boolean {
    return this.mutedNow;
  }

  set muted(muted: boolean) {
    this.mutedNow = muted;
    if (this.player) this.player.muted = muted;
    this.savePreferences();
  }

  /** The bars show each frame's own confidences rather than the smoothed ones. */
  get showRaw(): boolean {
    return this.showRawNow;
  }

  set showRaw(showRaw: boolean) {
    this.showRawNow = showRaw;
    this.savePreferences();
  }

  private savePreferences(): void {
    if (this.preferencesKey) writeViewPreferences(this.preferencesKey(), { muted: this.mutedNow, showRaw: this.showRawNow });
  }

  /** The last frame's detail, or null before the first frame and after a reset. */
  get latest(): PredictionDetail | null {
    return this.teachable.stream.latest;
  }

  /** One frame's step of the stream, of any classifier mode: fires the events, plays an output on a change. */
  emit({ prediction, change }: StreamStep): void {
    this.host.dispatchEvent(new CustomEvent<PredictionDetail>('tm-prediction', { detail: prediction }));
    if (!change) return;
    this.host.dispatchEvent(new CustomEvent<ClassChangeDetail>('tm-class-change', { detail: change }));
    if (change.classId === null || change.label === null) return;
    this.player?.play(this.teachable.classOutput(change.classId), {
      classId: change.classId,
      label: change.label,
      index: this.teachable.classes.findIndex((c) => c.id === change.classId),
      confidence: change.confidence,
      previousClassId: change.previousClassId,
      previousLabel: change.previousLabel,
      time: change.time,
    });
  }

  /** Frames stopped (no camera, no model): nothing is stable any more, and nothing is reported. */
  reset(): void {
    this.teachable.stream.reset();
    this.player?.stop();
    this.host.requestUpdate();
  }

  /** Bar values for `classes`: smoothed, or this frame's own when showRaw; 0 before any frame. */
  bars(classes: readonly ClassInfo[]): BarValue[] {
    return barValues(this.latest, classes, this.showRaw);
  }

  setOutput(classId: string, output: ClassOutput): void {
    if (!this.teachable.hasClass(classId)) return;
    this.soundProblems.delete(classId);
    this.teachable.setClassOutput(classId, output);
  }

  /** Checks a picked sound file and makes it the class's output, or keeps the old output and says why not. */
  async pickSound(classId: string, file: File): Promise<void> {
    this.soundProblems.delete(classId);
    try {
      // An offline context decodes without a sound device or a user gesture.
      const output = await readSoundFile(file, (bytes) => new OfflineAudioContext(1, 1, 44100).decodeAudioData(bytes));
      if (this.teachable.hasClass(classId)) this.teachable.setClassOutput(classId, output);
    } catch (error) {
      if (!(error instanceof SoundFileError)) throw error;
      this.soundProblems.set(classId, error.message);
    }
    this.host.requestUpdate();
  }

  soundProblem(classId: string): string | null {
    return this.soundProblems.get(classId) ?? null;
  }

  private readonly onChange = (event: Event) => {
    const change = (event as CustomEvent<TeachableChange>).detail;
    if (change.kind === 'class-deleted') {
      this.player?.stopClass(change.classId);
      this.soundProblems.delete(change.classId);
    }
  };
}

declare global {
  interface HTMLElementEventMap {
    /** Every frame: the stable top class (null when unknown), smoothed and raw confidences, mode and time. */
    'tm-prediction': CustomEvent<PredictionDetail>;
    /** The stable top class changed (to null: unknown). */
    'tm-class-change': CustomEvent<ClassChangeDetail>;
  }
}
