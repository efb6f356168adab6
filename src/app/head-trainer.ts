/**
 * The dense head as the app uses it: trains one on the current model's examples (with the Teachable's settings),
 * cancels, hands it to the Teachable so every frame is also classified by it, and says when it is out of date.
 * Framework-free; fires `change` whenever anything it reports changes.
 */
import { DenseTrainingError, trainDenseHead, type DenseHead, type DenseHeadSettings, type EpochReport } from '../classifier/dense-head/dense-head';
import { TrainingDataError, type TrainingData } from '../classifier/training-data';
import type { ModelId } from '../models/catalog';
import type { Teachable, TeachableChange } from './teachable';

export type HeadPhase = 'untrained' | 'training' | 'trained' | 'stale';

export interface TrainingProgress {
  /** 1-based; 0 before the first batch. */
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
}

export interface TrainerMessage {
  readonly text: string;
  readonly isError: boolean;
}

/** What a "Cannot train" message was about, so that it can go once that is no longer so. */
interface Refusal {
  readonly reason: TrainingDataError['reason'] | 'no-model';
  /** The class it named, when it named one. */
  readonly classId: string | null;
}

/** The current model's examples of every class turned on, in the Teachable's class order, as they are now. */
export async function trainingDataFor(teachable: Teachable, modelId: ModelId): Promise<TrainingData> {
  const classIds = teachable.enabledClasses.map((c) => c.id);
  // All reads start before any await, so they see the same moment.
  const vectors = await Promise.all(classIds.map((id) => teachable.readExamples(modelId, id)));
  const known = teachable.modelsWithExamples().find((m) => m.modelId === modelId)?.dimension;
  const dim = known ?? (teachable.embedder?.spec.id === modelId ? teachable.embedder.spec.embeddingDim : 0);
  return { classIds, vectors, dim };
}

/** What went wrong, in words for the person training (classes named by their labels, not their ids). */
function describeFailure(error: unknown, teachable: Teachable): string {
  if (error instanceof DOMException && error.name === 'AbortError') return 'Training was cancelled. Nothing changed.';
  if (error instanceof TrainingDataError) {
    const text = teachable.classes.reduce((message, c) => message.replaceAll(`"${c.id}"`, `"${c.label}"`), error.message);
    return `Cannot train: ${text}`;
  }
  if (error instanceof DenseTrainingError) return `Training failed: ${error.message}`;
  return `Training failed: ${error instanceof Error ? error.message : String(error)}`;
}

interface TrainedHead {
  readonly modelId: ModelId;
  readonly head: DenseHead;
  /** Why it no longer matches the examples, or null while it does. */
  staleReason: string | null;
}

interface Run {
  readonly modelId: ModelId;
  readonly abort: AbortController;
  readonly classIds: readonly string[];
  /** Why the examples it learns from are no longer the current ones, or null. */
  changedReason: string | null;
}

export class HeadTrainer extends EventTarget {
  /** Epochs of the current or last run (empty before any). */
  history: readonly EpochReport[] = [];
  progress: TrainingProgress | null = null;
  /** The outcome of the last run (or why it could not start), or null. */
  message: TrainerMessage | null = null;
  private trained: TrainedHead | null = null;
  private run: Run | null = null;
  /** Why `message` says training cannot start, while it says so. */
  private refusal: Refusal | null = null;

  constructor(private readonly teachable: Teachable) {
    super();
    teachable.addEventListener('change', this.onTeachableChange);
  }

  get head(): DenseHead | null {
    return this.trained?.head ?? null;
  }

  /** The model whose embeddings the head was trained on, or null. */
  get headModelId(): ModelId | null {
    return this.trained?.modelId ?? null;
  }

  /** Whether there is a head for the model now loaded (stale or not): frames are then classified by it too. */
  get headForCurrentModel(): boolean {
    return this.trained !== null && this.trained.modelId === this.teachable.embedder?.spec.id;
  }

  get phase(): HeadPhase {
    if (this.run) return 'training';
    if (!this.trained) return 'untrained';
    return this.staleReason ? 'stale' : 'trained';
  }

  /** Why the head no longer matches the current examples or model, or null. */
  get staleReason(): string | null {
    if (!this.trained) return null;
    if (this.trained.staleReason) return this.trained.staleReason;
    const current = this.teachable.embedder?.spec;
    if (current && current.id !== this.trained.modelId) return `it was trained on another model's examples (${this.trained.modelId})`;
    return null;
  }

  /**
   * Trains a new head on the current model's examples with the Teachable's dense settings. Never rejects: the
   * outcome is in `message`. The previous head keeps predicting until the new one replaces it, and stays if
   * training fails or is cancelled.
   * @param extra settings the app does not show (seed, validation share, patience), or overrides of its own.
   */
  async train(extra: Partial<DenseHeadSettings> = {}): Promise<void> {
    if (this.run) return;
    const modelId = this.teachable.embedder?.spec.id;
    if (!modelId) {
      this.report({ text: 'Cannot train: no model is loaded yet.', isError: true });
      this.refusal = { reason: 'no-model', classId: null };
      return;
    }
    const settings = { ...this.teachable.denseSettings, ...extra };
    const run: Run = { modelId, abort: new AbortController(), classIds: this.teachable.enabledClasses.map((c) => c.id), changedReason: null };
    this.run = run;
    this.history = [];
    this.progress = { epoch: 0, epochs: settings.epochs, batch: 0, batches: 0 };
    this.message = null;
    this.refusal = null;
    this.changed();
    const history: EpochReport[] = [];
    try {
      const data = await trainingDataFor(this.teachable, modelId);
      const head = await trainDenseHead(data, settings, {
        signal: run.abort.signal,
        onEpoch: (report) => {
          history.push(report);
          this.history = [...history];
          this.changed();
        },
        onBatch: ({ epoch, batch, batches }) => {
          this.progress = { epoch, epochs: settings.epochs, batch, batches };
          this.changed();
        },
      });
      this.replaceHead({ modelId, head, staleReason: run.changedReason && `${run.changedReason} while it trained` });
      const kept = head.stoppedEarly
        ? ` Stopped early after ${head.history.length} of ${settings.epochs} epochs (the validation loss stopped improving); kept epoch ${head.keptEpoch}.`
        : '';
      this.message = { text: `Trained on ${head.history.length} epochs.${kept}`, isError: false };
    } catch (error) {
      this.message = { text: describeFailure(error, this.teachable), isError: !(error instanceof DOMException && error.name === 'AbortError') };
      if (error instanceof TrainingDataError) this.refusal = { reason: error.reason, classId: error.classId };
    } finally {
      this.run = null;
      this.progress = null;
      this.changed();
    }
  }

  /** Stops a run at its next batch; train() then resolves with "cancelled". */
  cancel(): void {
    this.run?.abort.abort();
  }

  /** Cancels any run and drops the head (its tensors are freed). */
  reset(): void {
    this.cancel();
    this.replaceHead(null);
    this.history = [];
    this.message = null;
    this.refusal = null;
    this.changed();
  }

  dispose(): void {
    this.reset();
    this.teachable.removeEventListener('change', this.onTeachableChange);
  }

  private replaceHead(next: TrainedHead | null): void {
    const previous = this.trained;
    this.trained = next;
    if (previous) this.teachable.setFrameHead(previous.modelId, null);
    if (next) this.teachable.setFrameHead(next.modelId, next.head);
    previous?.head.dispose();
  }

  private report(message: TrainerMessage): void {
    this.message = message;
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }

  /** Marks the head and the running training out of date when the examples they learn from change. */
  private readonly onTeachableChange = (event: Event) => {
    const change = (event as CustomEvent<TeachableChange>).detail;
    let touched = false;
    for (const target of [this.trained, this.run]) {
      if (!target) continue;
      const classIds = 'head' in target ? target.head.classIds : target.classIds;
      const reason = this.reasonFor(change, target.modelId, classIds);
      if (!reason) continue;
      if ('head' in target) target.staleReason ??= reason;
      else target.changedReason ??= reason;
      touched = true;
    }
    if (this.refusal && this.refusalGone(this.refusal, change)) {
      this.refusal = null;
      this.message = null;
      touched = true;
    }
    // A model switch changes staleReason without touching anything stored.
    if (touched || change.kind === 'model') this.changed();
  };

  /** Whether `change` took away what a "Cannot train" message named (its class deleted or given examples, ...). */
  private refusalGone(refusal: Refusal, change: TeachableChange): boolean {
    if (change.kind === 'everything') return true;
    switch (refusal.reason) {
      case 'no-model':
        return change.kind === 'model' && this.teachable.embedder !== null;
      case 'too-few-classes':
        return change.kind === 'classes' || change.kind === 'examples-added';
      default:
        if (refusal.classId === null) return change.kind !== 'settings';
        return (change.kind === 'class-deleted' || change.kind === 'examples-added') && change.classId === refusal.classId;
    }
  }

  private reasonFor(change: TeachableChange, modelId: ModelId, classIds: readonly string[]): string | null {
    const label = (classId: string) => this.teachable.classes.find((c) => c.id === classId)?.label ?? classId;
    switch (change.kind) {
      case 'examples-added':
        return change.modelId === modelId ? `examples were added to "${label(change.classId)}"` : null;
      case 'examples-cleared':
        return change.modelId === modelId ? `the examples of "${label(change.classId)}" were cleared` : null;
      case 'examples-rewritten':
        return change.modelId === modelId ? `examples of "${label(change.classId)}" were deleted or put back` : null;
      case 'class-deleted':
        return classIds.includes(change.classId) ? 'a class was deleted' : null;
      case 'classes': {
        const current = this.teachable.enabledClasses.map((c) => c.id);
        if (current.some((id) => !classIds.includes(id))) return 'a class was added or turned on';
        return classIds.some((id) => this.teachable.hasClass(id) && !current.includes(id)) ? 'a class was turned off' : null;
      }
      case 'everything':
        return 'the examples were replaced or imported';
      default:
        return null;
    }
  }
}
