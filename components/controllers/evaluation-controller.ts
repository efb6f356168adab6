import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DenseHead } from '../../src/classifier/dense-head/dense-head';
import type { VoteOptions } from '../../src/classifier/knn/vote';
import { trainingDataFor, type HeadTrainer } from '../../src/app/head-trainer';
import { evaluateHeadMode, evaluateKnnMode, type EvaluationOutcome } from '../../src/app/mode-evaluation';
import type { Teachable, TeachableChange } from '../../src/app/teachable';

interface NamedClass {
  readonly id: string;
  readonly label: string;
}

function failure(error: unknown): EvaluationOutcome {
  return { problem: `Could not measure: ${error instanceof Error ? error.message : String(error)}` };
}

/**
 * Measures both modes on demand (the "Evaluate" button) and remembers whether the examples, the vote or the head
 * changed since, so the panel can say its numbers are out of date.
 */
export class EvaluationController implements ReactiveController {
  knn: EvaluationOutcome | null = null;
  dense: EvaluationOutcome | null = null;
  busy = false;
  private examplesChanged = false;
  private measuredHead: DenseHead | null = null;
  private measuredVote: VoteOptions | null = null;
  /** The class labels when the numbers were measured, for the classes deleted since. */
  private measuredLabels = new Map<string, string>();
  private named: { readonly current: readonly NamedClass[]; readonly labels: ReadonlyMap<string, string>; readonly classes: readonly NamedClass[] } | null = null;
  private readonly onChange = (event: Event) => {
    const change = (event as CustomEvent<TeachableChange>).detail;
    if (this.knn && change.kind !== 'model' && change.kind !== 'settings') this.examplesChanged = true;
    if (change.kind === 'model') {
      // Another model's examples: these numbers do not describe it.
      this.knn = null;
      this.dense = null;
    }
    this.host.requestUpdate();
  };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly teachable: Teachable,
    private readonly trainer: HeadTrainer,
  ) {
    host.addController(this);
  }

  /**
   * The classes the panel names: the current ones, then those measured but deleted since, by the label they had
   * (never by their ids).
   */
  labelled(current: readonly NamedClass[]): readonly NamedClass[] {
    // The same array while nothing changed, so the panel does not render again every frame.
    if (this.named?.current === current && this.named.labels === this.measuredLabels) return this.named.classes;
    const ids = new Set(current.map((c) => c.id));
    const deleted = [...this.measuredLabels].filter(([id]) => !ids.has(id)).map(([id, label]) => ({ id, label: `${label} (deleted)` }));
    const classes = deleted.length ? [...current, ...deleted] : current;
    this.named = { current, labels: this.measuredLabels, classes };
    return classes;
  }

  /** True when what was measured is no longer what the app uses. */
  get outdated(): boolean {
    if (this.knn === null) return false;
    return this.examplesChanged || this.teachable.voteOptions !== this.measuredVote || this.trainer.head !== this.measuredHead;
  }

  hostConnected(): void {
    this.teachable.addEventListener('change', this.onChange);
  }

  hostDisconnected(): void {
    this.teachable.removeEventListener('change', this.onChange);
  }

  async evaluate(): Promise<void> {
    if (this.busy) return;
    const modelId = this.teachable.embedder?.spec.id;
    if (!modelId) {
      this.knn = this.dense = { problem: 'Load a model and record some examples first.' };
      this.host.requestUpdate();
      return;
    }
    this.busy = true;
    this.host.requestUpdate();
    try {
      const data = await trainingDataFor(this.teachable, modelId);
      this.examplesChanged = false;
      this.measuredLabels = new Map(this.teachable.classes.map((c) => [c.id, c.label]));
      this.measuredVote = this.teachable.voteOptions;
      this.knn = await evaluateKnnMode(this.teachable, data).catch(failure);
      const head = this.trainer.head;
      this.measuredHead = head;
      this.dense = await evaluateHeadMode(head, this.trainer.headModelId, this.teachable).catch(failure);
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }
}
