import { css } from 'lit';

/** What the app's side panels (the dense head's, the evaluation's) share: a block in the text colour, and its heading. */
export const panelStyles = css`
  :host {
    display: block;
    color: var(--tm-text, #1b1f24);
  }
  h2 {
    font-size: 1.1rem;
    margin: 0 0 0.5rem;
  }
`;
