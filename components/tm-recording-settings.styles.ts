import { css } from 'lit';
import { controlStyles } from './control-styles';

/** The styles of <tm-recording-settings>. */
export const recordingSettingsStyles = [
  controlStyles,
  css`
    :host {
      display: block;
      font-size: 0.9em;
    }
    fieldset {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem 1rem;
      align-items: center;
      margin: 0.5rem 0;
      border: 1px solid var(--tm-border, #d0d7de);
      border-radius: 8px;
    }
    /* Each field's words wrap as whole pieces ("At most", the field, "examples a second", its range), never a word
       to a line in a narrow column. */
    label {
      display: inline-flex;
      flex-wrap: wrap;
      gap: 0.2rem 0.35rem;
      align-items: center;
      white-space: nowrap;
    }
    label[hidden] {
      display: none;
    }
    input[type='number'] {
      font: inherit;
      width: 4em;
      box-sizing: border-box;
    }
    input[aria-invalid='true'] {
      outline: 2px solid var(--tm-error, #c62828);
    }
    .help {
      color: var(--tm-muted, #57606a);
      font-size: 0.85em;
    }
    input:focus-visible {
      outline: 3px solid var(--tm-focus, #0969da);
      outline-offset: 2px;
    }
  `,
];
