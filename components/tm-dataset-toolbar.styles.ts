import { css } from 'lit';

/** The styles of <tm-dataset-toolbar>. */
export const datasetToolbarStyles = css`
  :host {
    display: block;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  button,
  select {
    font: inherit;
    padding: 0.4rem 0.8rem;
    border-radius: 8px;
    border: 1px solid var(--tm-border, #d0d7de);
    background: var(--tm-surface, #fff);
    color: inherit;
  }
  button:focus-visible,
  select:focus-visible {
    outline: 3px solid var(--tm-focus, #0969da);
    outline-offset: 2px;
  }
  .danger {
    color: var(--tm-danger, #cf222e);
  }
  .status {
    margin: 0.4rem 0 0;
    font-size: 0.9em;
  }
  .status.error {
    color: var(--tm-danger, #cf222e);
  }
`;
