import { css } from 'lit';

/** The styles of <tm-mode-bars>. */
export const modeBarsStyles = css`
  :host {
    display: block;
  }
  .columns {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 14rem), 1fr));
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
  tm-unknown-control {
    margin-top: var(--tm-space-3, 0.75rem);
  }
  .governs {
    margin-top: var(--tm-space-1, 0.25rem);
    font-size: var(--tm-text-sm, 0.875rem);
    color: var(--tm-muted, #57606a);
    opacity: 1;
  }
`;
