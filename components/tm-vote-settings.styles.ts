import { css } from 'lit';
import { controlStyles } from './control-styles';

/** The styles of <tm-vote-settings>. */
export const voteSettingsStyles = [
  controlStyles,
  css`
  :host {
    display: block;
  }
  summary {
    cursor: pointer;
  }
  summary:focus-visible,
  input:focus-visible {
    outline: 3px solid var(--tm-focus, #0969da);
    outline-offset: 2px;
  }
  fieldset {
    min-width: 0;
    border: 1px solid var(--tm-border, #d0d7de);
    border-radius: 8px;
    margin: 0.5rem 0;
  }
  label {
    display: inline-flex;
    gap: 0.4rem;
    align-items: center;
    margin-inline-end: 1rem;
  }
  input[type='number'] {
    width: 4rem;
    font: inherit;
  }
  .problem {
    color: var(--tm-error, #b91c1c);
    margin: 0.25rem 0 0;
  }
  .help {
    font-size: 0.85rem;
    opacity: 0.85;
    margin: 0.25rem 0 0;
  }
`,
];
