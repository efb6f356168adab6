import { css } from 'lit';
import { buttonStyles } from './control-styles';

/** The styles of <tm-app>. */
export const appStyles = [
  buttonStyles,
  css`
  :host {
    display: block;
    max-width: 1100px;
    margin: 0 auto;
    padding: 1rem;
    color: var(--tm-text, #1b1f24);
    font-family: var(--tm-font, system-ui, sans-serif);
  }
  header {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 1.5rem;
    align-items: baseline;
    justify-content: space-between;
  }
  header tm-model-panel {
    flex: 1 1 18rem;
    min-width: 0;
  }
  h1 {
    font-size: 1.4rem;
    margin: 0 0 0.5rem;
  }
  .layout {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 1rem;
  }
  @media (min-width: 760px) {
    .layout {
      grid-template-columns: minmax(280px, 420px) minmax(0, 1fr);
      align-items: start;
    }
  }
  .panel {
    background: var(--tm-surface, #fff);
    border: 1px solid var(--tm-border, #d0d7de);
    border-radius: 12px;
    padding: 0.75rem;
  }
  .classes {
    display: grid;
    gap: 0.75rem;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    margin-top: 0.75rem;
  }
  button:focus-visible {
    outline: 3px solid var(--tm-focus, #0969da);
    outline-offset: 2px;
  }
  .layout.head {
    margin-top: 1rem;
  }
  @media (min-width: 760px) {
    .layout.head {
      grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
    }
  }
  .notice {
    margin: 0.5rem 0;
    padding: 0.5rem 0.75rem;
    border-radius: 8px;
    background: var(--tm-notice-bg, #fff8c5);
  }
  .notice button {
    margin-left: 0.5rem;
    padding: 0.1rem 0.5rem;
  }
`,
];
