import { css } from 'lit';
import { buttonStyles, controlStyles } from './control-styles';
import { panelStyles } from './panel-styles';

/** The styles of <tm-dense-panel>. */
export const densePanelStyles = [
  controlStyles,
  buttonStyles,
  panelStyles,
  css`
  fieldset {
    min-width: 0;
    border: 1px solid var(--tm-border, #d0d7de);
    border-radius: 8px;
    margin: 0 0 0.75rem;
    padding: 0.5rem 0.75rem;
  }
  legend {
    font-weight: 600;
  }
  .modes {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
  }
  /* Each radio level with its words, the whole row a target a finger can hit. */
  .modes label {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    min-height: 2.75rem;
  }
  .settings {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 9rem), 1fr));
    gap: 0.5rem 1rem;
  }
  .field label {
    display: block;
    font-size: 0.9rem;
  }
  .field input {
    width: 7rem;
    font: inherit;
  }
  .field input[aria-invalid='true'] {
    border-color: var(--tm-error, #b91c1c);
  }
  .problem {
    display: block;
    color: var(--tm-error, #b91c1c);
    font-size: 0.85rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    margin: 0.5rem 0;
  }
  button:focus-visible,
  input:focus-visible {
    outline: 3px solid var(--tm-focus, #0969da);
    outline-offset: 2px;
  }
  progress {
    width: 10rem;
  }
  .state {
    margin: 0.25rem 0;
  }
  .message {
    margin: 0.25rem 0;
  }
  .message.error {
    color: var(--tm-error, #b91c1c);
  }
  .note {
    font-size: 0.85rem;
    opacity: 0.8;
    margin: 0.25rem 0;
  }
`,
];
