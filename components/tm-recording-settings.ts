import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { DEFAULT_RECORDING, RECORDING_LIMITS, recordingProblems, type RecordingSettings } from '../src/app/timed-recording';
import { recordingSettingsStyles } from './tm-recording-settings.styles';

export interface RecordingSettingsDetail {
  readonly settings: RecordingSettings;
}

type NumberField = keyof typeof RECORDING_LIMITS;

const FIELDS: readonly { readonly name: NumberField; readonly text: string; readonly unit: string }[] = [
  { name: 'countdownSeconds', text: 'Countdown', unit: 's' },
  { name: 'durationSeconds', text: 'Record for', unit: 's' },
  { name: 'framesPerSecond', text: 'At most', unit: 'examples a second' },
];

/**
 * How the record buttons record: held down ("Hold to record" on), or a click that counts down and then records for
 * a while (off); and the most examples a second either way. A number out of range is refused where it is typed.
 *
 * @fires tm-recording-settings-change - `{settings}`: a valid change.
 */
@customElement('tm-recording-settings')
export class TmRecordingSettings extends LitElement {
  static override styles = recordingSettingsStyles;

  @property({ attribute: false }) settings: RecordingSettings = DEFAULT_RECORDING;

  protected override render() {
    const timed = !this.settings.holdToRecord;
    return html`<fieldset>
      <legend>Recording</legend>
      <label><input type="checkbox" .checked=${live(this.settings.holdToRecord)} @change=${this.onHold} />Hold to record</label>
      ${FIELDS.map(({ name, text, unit }) => {
        const { min, max } = RECORDING_LIMITS[name];
        const shown = name === 'framesPerSecond' || timed;
        return html`<label ?hidden=${!shown}
          >${text}
          <input
            type="number"
            name=${name}
            inputmode="numeric"
            min=${min}
            max=${max}
            step="1"
            aria-describedby=${`${name}-help`}
            .value=${live(String(this.settings[name]))}
            @change=${this.onNumber}
          />${unit}<span id=${`${name}-help`} class="help">${min} to ${max}</span></label
        >`;
      })}
    </fieldset>`;
  }

  private onHold(event: Event): void {
    this.report({ ...this.settings, holdToRecord: (event.currentTarget as HTMLInputElement).checked });
  }

  private onNumber(event: Event): void {
    const input = event.currentTarget as HTMLInputElement;
    const name = input.name as NumberField;
    const next = { ...this.settings, [name]: input.valueAsNumber };
    const problem = recordingProblems(next)[name];
    input.setCustomValidity(problem ? `Takes ${problem}.` : '');
    input.setAttribute('aria-invalid', problem ? 'true' : 'false');
    if (problem) {
      input.reportValidity();
      return;
    }
    this.report(next);
  }

  private report(settings: RecordingSettings): void {
    this.dispatchEvent(new CustomEvent<RecordingSettingsDetail>('tm-recording-settings-change', { detail: { settings }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-recording-settings': TmRecordingSettings;
  }
  interface HTMLElementEventMap {
    'tm-recording-settings-change': CustomEvent<RecordingSettingsDetail>;
  }
}
