import { css } from 'lit';

/**
 * The app's one family of buttons: outlined by default, `.primary` filled with the accent, `.danger` for what
 * removes things, `.quiet` without a border (a dismiss ×). Disabled, every kind turns a flat grey with muted text
 * and no border colour, so a button that does nothing never looks like one that does.
 */
export const buttonStyles = css`
  button {
    font: inherit;
    font-size: var(--tm-text-sm, 0.875rem);
    font-weight: 600;
    line-height: 1.25;
    min-height: 2.25rem;
    padding: 0.45rem 0.9rem;
    border-radius: var(--tm-radius-pill, 999px);
    border: 1px solid var(--tm-border, #d0d7de);
    background: var(--tm-surface, #fff);
    color: var(--tm-text, #1b1f24);
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    border-color: var(--tm-accent, #1f5fd6);
    background: var(--tm-accent-soft, #e8f0fd);
  }
  button.primary {
    border-color: var(--tm-accent, #1f5fd6);
    background: var(--tm-accent, #1f5fd6);
    color: var(--tm-accent-text, #fff);
  }
  button.primary:hover:not(:disabled) {
    background: var(--tm-accent-hover, #1a4fb3);
  }
  button.danger {
    color: var(--tm-danger, #c9252f);
  }
  button.danger:hover:not(:disabled) {
    border-color: var(--tm-danger, #c9252f);
    background: transparent;
  }
  button.quiet {
    min-height: 0;
    border-color: transparent;
    background: transparent;
  }
  button:disabled,
  button.primary:disabled {
    cursor: not-allowed;
    border-color: var(--tm-disabled-bg, #e6e9ed);
    background: var(--tm-disabled-bg, #e6e9ed);
    color: var(--tm-disabled-text, #6e7781);
  }
  button:focus-visible {
    outline: 3px solid var(--tm-focus, #1f5fd6);
    outline-offset: 2px;
  }
  /* A finger needs more than a pointer: on a phone every button is at least 44 x 44 px. */
  @media (max-width: 759px) {
    button,
    button.quiet {
      min-width: 2.75rem;
      min-height: 2.75rem;
    }
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
  input[type='range'] {
    min-height: 24px;
  }
  /* Selects and number fields in the buttons' look: a bordered box of the same height, not the browser's own. */
  select,
  input[type='number'] {
    box-sizing: border-box;
    min-height: 2.25rem;
    max-width: 100%;
    padding: 0.25rem 0.5rem;
    font: inherit;
    color: var(--tm-text, #1b1f24);
    background: var(--tm-surface, #fff);
    border: 1px solid var(--tm-border, #d0d7de);
    border-radius: var(--tm-radius-sm, 6px);
  }
  select:hover:not(:disabled),
  input[type='number']:hover:not(:disabled) {
    border-color: var(--tm-accent, #1f5fd6);
  }
  select:disabled,
  input[type='number']:disabled {
    cursor: not-allowed;
    background: var(--tm-disabled-bg, #e6e9ed);
    color: var(--tm-disabled-text, #6e7781);
  }
  @media (max-width: 759px) {
    select,
    input[type='number'] {
      min-height: 2.75rem;
    }
    /* A checkbox's or radio's label is its target: as tall as a button (where the label is a box, not inline text). */
    label:has(> input[type='checkbox'], > input[type='radio']) {
      min-height: 2.75rem;
    }
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
