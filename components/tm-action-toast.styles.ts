import { css } from 'lit';
import { buttonStyles, controlStyles } from './control-styles';

/** The styles of <tm-action-toast> and <tm-confirm-bar>: a bar at the foot of the page. */
export const actionToastStyles = [
  buttonStyles,
  controlStyles,
  css`
    :host {
      position: fixed;
      inset: auto 0.75rem 0.75rem 0.75rem;
      z-index: 10;
      display: flex;
      justify-content: center;
      pointer-events: none;
    }
    .bar {
      pointer-events: auto;
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
