import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { EpochReport } from '../src/classifier/dense-head/dense-head';
import {
  DEFAULT_TRAINING_SETTINGS,
  SETTING_LIMITS,
  settingProblem,
  type ClassifierMode,
  type DenseSettingName,
  type DenseTrainingSettings,
} from '../src/app/dense-settings';
import type { HeadPhase, TrainerMessage, TrainingProgress } from '../src/app/head-trainer';
import './tm-training-chart';
import { densePanelStyles } from './tm-dense-panel.styles';

export interface ModeChangeDetail {
  readonly mode: ClassifierMode;
}

export interface DenseSettingsChangeDetail {
  readonly settings: DenseTrainingSettings;
}

const MODES: readonly { readonly mode: ClassifierMode; readonly label: string }[] = [
  { mode: 'knn', label: 'k-NN only' },
  { mode: 'dense', label: 'Dense head only' },
  { mode: 'both', label: 'Both, side by side' },
];

const FIELDS: readonly { readonly name: DenseSettingName; readonly label: string }[] = [
  { name: 'units', label: 'Hidden units' },
  { name: 'epochs', label: 'Epochs' },
  { name: 'learningRate', label: 'Learning rate' },
  { name: 'batchSize', label: 'Batch size' },
];

/**
 * The dense head's controls: which classifiers run (a radio group), its training settings (checked as they are
 * typed, with a message per field), Train and Cancel, what state the head is in, and the live training chart.
 *
 * @fires tm-mode-change - CustomEvent<ModeChangeDetail>: another mode was picked.
 * @fires tm-dense-settings-change - CustomEvent<DenseSettingsChangeDetail>: a setting changed to an acceptable value.
 * @fires tm-train-start - the Train button was pressed.
 * @fires tm-train-cancel - the Cancel button was pressed.
 * @cssprop --tm-border, --tm-surface, --tm-focus, --tm-error - Colours.
 */
@customElement('tm-dense-panel')
export class TmDensePanel extends LitElement {
  static override styles = densePanelStyles;

  @property() mode: ClassifierMode = 'knn';
  @property({ attribute: false }) settings: DenseTrainingSettings = DEFAULT_TRAINING_SETTINGS;
  @property() phase: HeadPhase = 'untrained';
  @property({ attribute: false }) progress: TrainingProgress | null = null;
  @property({ attribute: false }) staleReason: string | null = null;
  @property({ attribute: false }) message: TrainerMessage | null = null;
  @property({ attribute: false }) history: readonly EpochReport[] = [];
  /** False until a model is loaded: there is nothing to train on before. */
  @property({ type: Boolean }) ready = false;

  /** Why a typed value was refused, by field; the refused text stays in its field. */
  @state() private problems: Partial<Record<DenseSettingName, string>> = {};

  protected override render() {
    const training = this.phase === 'training';
    const invalid = Object.keys(this.problems).length > 0;
    return html`
      <h2>Dense head</h2>
      <fieldset>
        <legend id="mode-legend">Classifier</legend>
        <div class="modes" role="radiogroup" aria-labelledby="mode-legend">
          ${MODES.map(
            ({ mode, label }) => html`<label
              ><input type="radio" name="mode" .value=${mode} .checked=${this.mode === mode} @change=${() => this.pickMode(mode)} />
              ${label}</label
            >`,
          )}
        </div>
      </fieldset>
      <fieldset ?disabled=${training}>
        <legend>Training settings</legend>
        <div class="settings">${FIELDS.map((field) => this.renderField(field.name, field.label))}</div>
      </fieldset>
      <div class="actions">
        <button ?disabled=${training || invalid || !this.ready} @click=${() => this.fire('tm-train-start')}>
          ${this.phase === 'untrained' ? 'Train' : 'Train again'}
        </button>
        <button ?disabled=${!training} @click=${() => this.fire('tm-train-cancel')}>Cancel</button>
        ${training && this.progress ? this.renderProgress(this.progress) : null}
      </div>
      <p class="state" role="status">${this.stateText()}</p>
      ${this.message
        ? html`<p class="message ${this.message.isError ? 'error' : ''}" role=${this.message.isError ? 'alert' : 'status'}>${this.message.text}</p>`
        : null}
      <tm-training-chart .history=${this.history} .epochs=${this.progress?.epochs ?? this.history[0]?.epochs ?? 0}></tm-training-chart>
      <p class="note">A trained head is not saved: train it again after a reload. Its settings are saved.</p>
    `;
  }

  private renderField(name: DenseSettingName, label: string) {
    const { min, max, whole } = SETTING_LIMITS[name];
    const problem = this.problems[name];
    const id = `setting-${name}`;
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        name=${name}
        type="number"
        min=${min}
        max=${max}
        step=${whole ? '1' : 'any'}
        .value=${String(this.settings[name])}
        aria-invalid=${problem ? 'true' : 'false'}
        aria-describedby=${`${id}-problem`}
        @change=${(e: Event) => this.onSettingChange(name, e.target as HTMLInputElement)}
      />
      <span class="problem" id=${`${id}-problem`} role=${problem ? 'alert' : 'none'}>${problem ?? ''}</span>
    </div>`;
  }

  private renderProgress(p: TrainingProgress) {
    const done = p.batches ? Math.max(0, p.epoch - 1) + p.batch / p.batches : 0;
    return html`<progress max=${p.epochs} .value=${done} aria-label="Training progress"></progress>`;
  }

  private stateText(): string {
    switch (this.phase) {
      case 'untrained':
        return 'Not trained yet.';
      case 'training': {
        const p = this.progress;
        return p && p.epoch > 0 ? `Training: epoch ${p.epoch} of ${p.epochs}…` : 'Training: starting…';
      }
      case 'trained':
        return 'Trained, and up to date with the examples.';
      case 'stale':
        return `Out of date: ${this.staleReason ?? 'the examples changed'}. Train again to use the current examples.`;
    }
  }

  private onSettingChange(name: DenseSettingName, input: HTMLInputElement): void {
    const value = input.value.trim() === '' ? Number.NaN : Number(input.value);
    const problem = settingProblem(name, value);
    const problems = { ...this.problems };
    if (problem) problems[name] = problem;
    else delete problems[name];
    this.problems = problems;
    if (problem) return;
    this.dispatchEvent(
      new CustomEvent<DenseSettingsChangeDetail>('tm-dense-settings-change', {
        detail: { settings: { ...this.settings, [name]: value } },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private pickMode(mode: ClassifierMode): void {
    this.dispatchEvent(new CustomEvent<ModeChangeDetail>('tm-mode-change', { detail: { mode }, bubbles: true, composed: true }));
  }

  private fire(type: 'tm-train-start' | 'tm-train-cancel'): void {
    this.dispatchEvent(new CustomEvent<void>(type, { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-dense-panel': TmDensePanel;
  }
  interface HTMLElementEventMap {
    'tm-mode-change': CustomEvent<ModeChangeDetail>;
    'tm-dense-settings-change': CustomEvent<DenseSettingsChangeDetail>;
    'tm-train-start': CustomEvent<void>;
    'tm-train-cancel': CustomEvent<void>;
  }
}
