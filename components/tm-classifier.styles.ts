import { css } from 'lit';

/** The styles of <tm-classifier>. */
export const classifierStyles = css`
  :host {
    display: grid;
    gap: 0.75rem;
    max-width: 480px;
    color: var(--tm-text, #1f1f1f);
    font-family: var(--tm-font, system-ui, sans-serif);
  }
  :host([hidden]) {
    display: none;
  }
  .status:empty {
    display: none;
  }
  .status,
  .error {
    margin: 0;
  }
  .error {
    color: var(--tm-danger, #b3261e);
  }
`;
