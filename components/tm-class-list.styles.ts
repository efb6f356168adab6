import { css } from 'lit';

/** The styles of <tm-class-list>: the cards in one column, and the message when there is no class. */
export const classListStyles = css`
  :host {
    display: block;
  }
  .classes {
    display: grid;
    gap: var(--tm-space-3);
  }
  tm-class-card {
    min-width: 0;
  }
  .empty {
    box-sizing: border-box;
    background: var(--tm-surface);
    border: 1px solid var(--tm-border);
    border-radius: var(--tm-radius-lg);
    box-shadow: var(--tm-shadow);
    padding: var(--tm-space-4);
  }
  /* Narrow, the camera's strip stays at the top: focus and "scroll into view" put a card below it, not under it. */
  @media (max-width: 759.98px) {
    tm-class-card {
      scroll-margin-top: 15rem;
    }
  }
`;
