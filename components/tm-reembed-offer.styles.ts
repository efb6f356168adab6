import { css } from 'lit';
import { buttonStyles, controlStyles } from './control-styles';

/** The styles of <tm-reembed-offer>. */
export const reembedOfferStyles = [
  buttonStyles,
  controlStyles,
  css`
    :host {
      display: block;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 1rem;
      align-items: center;
    }
    p {
      margin: 0.25rem 0;
    }
    p:empty {
      display: none;
    }
    .error {
      color: var(--tm-error, #b42318);
    }
    button {
      min-height: 2.75rem;
    }
    progress {
      width: 10rem;
      margin-inline-start: 0.5rem;
    }
  `,
];
