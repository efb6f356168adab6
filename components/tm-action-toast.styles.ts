import { css } from 'lit';
import { buttonStyles, controlStyles } from './control-styles';

/** The styles of <tm-action-toast> and <tm-confirm-bar>: a dark bar under the class list. */
export const actionToastStyles = [
  buttonStyles,
  controlStyles,
  css`
    /* In the flow of the page, beside the controls it follows: a bar fixed over the page would cover them. */
    :host {
      display: block;
    }
    .bar {
      margin: 0.5rem 0;
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 0.75rem;
      align-items: center;
      max-width: 40rem;
      padding: 0.6rem 0.9rem;
      border-radius: 10px;
      background: var(--tm-toast-bg, #24292f);
      color: var(--tm-toast-fg, #fff);
      box-shadow: 0 4px 16px rgb(0 0 0 / 25%);
    }
    .bar[hidden] {
      display: none;
    }
    .message {
      flex: 1 1 14rem;
    }
    button {
      color: #24292f;
    }
    button.primary {
      font-weight: 600;
    }
  `,
];
