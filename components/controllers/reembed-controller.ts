import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { findModel } from '../../src/models/catalog';
import { planReembed, reembedForModel, type ReembedPlan } from '../../src/app/model-reembed';
import type { ReembedProgress } from '../../src/app/reembed';
import type { Teachable } from '../../src/app/teachable';

const count = (n: number) => n.toLocaleString('en');
const modelName = (id: string) => findModel(id)?.name ?? id;

/**
 * The offer to carry the examples over after a model switch (src/app/model-reembed.ts): what it would do, the
 * re-embed under way with its progress, Cancel, and how it ended. The plan follows every change of the Teachable.
 */
export class ReembedController implements ReactiveController {
  /** What a re-embed would do now, or null when there is nothing to carry over. */
  plan: ReembedPlan | null = null;
  progress: ReembedProgress | null = null;
  /** How the last re-embed ended (or why it could not run), until the next starts or the model changes. */
  message = '';
  messageIsError = false;
  private running: AbortController | null = null;
  private modelId: string | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly teachable: Teachable,
  ) {
    host.addController(this);
  }

  get busy(): boolean {
    return this.running !== null;
  }

  hostConnected(): void {
    this.teachable.addEventListener('change', this.onChange);
    this.onChange();
  }

  hostDisconnected(): void {
    this.teachable.removeEventListener('change', this.onChange);
    this.cancel();
  }

  /** The offer in words: which examples, made with which model, for which. */
  get offerText(): string {
    const plan = this.plan;
    if (!plan) return '';
    const missing = plan.examples - plan.frames;
    return (
      `${count(plan.examples)} examples in ${plan.classes.length === 1 ? '1 class' : `${plan.classes.length} classes`} were recorded with ` +
      `${modelName(plan.fromModel)}, none with ${modelName(plan.toModel)}. Re-embed their kept frames for it` +
      (missing > 0 ? ` (${count(plan.frames)} of them: the others, imported or saved without a frame, have none)?` : '?')
    );
  }

  async start(): Promise<void> {
    const embedder = this.teachable.embedder;
    const plan = this.plan;
    if (this.running || !plan || !embedder) return;
    const running = new AbortController();
    this.running = running;
    this.progress = { done: 0, total: plan.frames };
    this.message = '';
    this.host.requestUpdate();
    try {
      const added = await reembedForModel(this.teachable, embedder, plan, {
        signal: running.signal,
        onProgress: (progress) => {
          this.progress = progress;
          this.host.requestUpdate();
        },
      });
      this.say(`${count(added)} examples re-embedded for ${modelName(plan.toModel)}.`, false);
    } catch (error) {
      if (running.signal.aborted) this.say('Re-embedding cancelled: nothing was changed.', false);
      else this.say(`Could not re-embed: ${error instanceof Error ? error.message : String(error)}.`, true);
    } finally {
      this.running = null;
      this.progress = null;
      this.onChange();
    }
  }

  cancel(): void {
    this.running?.abort();
  }

  private say(text: string, isError: boolean): void {
    this.message = text;
    this.messageIsError = isError;
  }

  private readonly onChange = (): void => {
    const modelId = this.teachable.embedder?.spec.id;
    if (modelId !== this.modelId) {
      this.modelId = modelId;
      // A re-embed for the model left behind stops (it would refuse at the end anyway).
      this.cancel();
      if (!this.running) this.message = '';
    }
    this.plan = planReembed(this.teachable);
    this.host.requestUpdate();
  };
}
