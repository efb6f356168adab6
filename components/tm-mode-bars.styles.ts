import { css } from 'lit';

/** The styles of <tm-mode-bars>. */
export const modeBarsStyles = css`
  :host {
    display: block;
  }
  .columns {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
    gap: 0.75rem 1.25rem;
  }
  h2 {
    font-size: 0.95rem;
    margin: 0.5rem 0 0.35rem;
  }
  .note {
    font-weight: 400;
    color: var(--tm-muted, #57606a);
  }
  p {
    margin: 0;
    opacity: 0.85;
  }
`;
