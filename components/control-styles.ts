import { css } from 'lit';

/** The app's plain buttons. */
export const buttonStyles = css`
  button {
    font: inherit;
    padding: 0.45rem 0.9rem;
    border-radius: 8px;
    border: 1px solid var(--tm-border, #d0d7de);
    background: var(--tm-surface, #fff);
    color: inherit;
    cursor: pointer;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
`;

/**
 * What every form control in the app shares: a visible focus ring, and a target of at least 24 x 24 CSS px
 * (WCAG 2.2's minimum), which the browser's default checkboxes, radios, sliders and selects are not.
 */
export const controlStyles = css`
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  summary:focus-visible {
    outline: 3px solid var(--tm-focus, #0969da);
    outline-offset: 2px;
  }
  input[type='checkbox'],
  input[type='radio'] {
    width: 24px;
    height: 24px;
    margin: 0;
    accent-color: var(--tm-accent, #0969da);
  }
  input[type='range'],
  select {
    min-height: 24px;
  }
`;

/** Text for screen readers only. */
export const visuallyHiddenStyles = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
