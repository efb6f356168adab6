import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DenseHeadSettings } from '../../src/classifier/dense-head/dense-head';
import { HeadTrainer } from '../../src/app/head-trainer';
import type { Teachable } from '../../src/app/teachable';

/**
 * The dense head for the host's lifetime: re-renders the host on every epoch, batch and staleness change, and on
 * disconnect cancels any training and frees the head (a head is not kept across reloads either).
 */
export class DenseHeadController implements ReactiveController {
  readonly trainer: HeadTrainer;
  private readonly onChange = () => this.host.requestUpdate();

  constructor(
    private readonly host: ReactiveControllerHost,
    teachable: Teachable,
  ) {
    this.trainer = new HeadTrainer(teachable);
    host.addController(this);
  }

  hostConnected(): void {
    this.trainer.addEventListener('change', this.onChange);
  }

  hostDisconnected(): void {
    this.trainer.removeEventListener('change', this.onChange);
    this.trainer.reset();
  }

  train(extra?: Partial<DenseHeadSettings>): Promise<void> {
    return this.trainer.train(extra);
  }

  cancel(): void {
    this.trainer.cancel();
  }
}
