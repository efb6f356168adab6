import { css } from 'lit';

/** The styles of <tm-record-button>. */
export const recordButtonStyles = css`
  :host {
    display: inline-block;
  }
  button {
    /* As wide as the element: its content's width, or the row a narrow card gives it. */
    width: 100%;
    font: inherit;
    font-weight: 600;
    min-height: 2.75rem;
    padding: 0.5rem 1rem;
    border: 2px solid transparent;
    border-radius: 999px;
    background: var(--tm-accent, #1f5fd6);
    color: var(--tm-accent-text, #fff);
    cursor: pointer;
    /* Touch holds: no scrolling or zooming from the button, no text selection or callout on a long press. */
    touch-action: none;
    user-select: none;
    -webkit-user-select: none;
    -webkit-touch-callout: none;
  }
  button:focus-visible {
    outline: 3px solid var(--tm-focus, var(--tm-text, #111));
    outline-offset: 2px;
  }
  button.timed[data-phase='countdown'] {
    background: var(--tm-countdown, #8a5a00);
  }
  button[aria-pressed='true'],
  :host([recording]) button {
    background: var(--tm-recording, #c62828);
  }
  /* As every disabled button in the app: flat grey, muted text. */
  button:disabled {
    cursor: not-allowed;
    background: var(--tm-disabled-bg, #e6e9ed);
    color: var(--tm-disabled-text, #6e7781);
  }
  .dot {
    display: inline-block;
    width: 0.6em;
    height: 0.6em;
    margin-inline-end: 0.4em;
    border-radius: 50%;
    background: currentColor;
    vertical-align: 0.05em;
  }
`;
