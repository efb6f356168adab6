import { css } from 'lit';
import { controlStyles } from './control-styles';

/** The styles of <tm-prediction-settings>. */
export const predictionSettingsStyles = [
  controlStyles,
  css`
  :host {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem 1rem;
    align-items: center;
    margin-top: 0.5rem;
    font-size: 0.9em;
  }
  label {
    display: inline-flex;
    gap: 0.35rem;
    align-items: center;
  }
  select {
    font: inherit;
  }
  select:focus-visible,
  input:focus-visible {
    outline: 3px solid var(--tm-focus, #0969da);
    outline-offset: 2px;
  }
`,
];
