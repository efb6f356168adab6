import { css } from 'lit';
import { buttonStyles } from './control-styles';
import { designTokens } from './design-tokens';

/**
 * The styles of <tm-app>. One column below 760 px, where the camera and its bars form a strip that stays at the top
 * while the classes scroll under it (so the preview is in view while any class records); two columns above, the
 * camera's column staying in view beside the classes.
 */
export const appStyles = [
  designTokens,
  buttonStyles,
  css`
  :host {
    display: block;
    box-sizing: border-box;
    max-width: 1180px;
    margin: 0 auto;
    padding: var(--tm-space-4);
    color: var(--tm-text);
    font-family: var(--tm-font);
    font-size: var(--tm-text-md);
    line-height: 1.45;
  }
  /* The first stop of the keyboard: out of sight until focused. */
  .skip {
    position: absolute;
    left: var(--tm-space-2);
    top: -4rem;
    z-index: 10;
    max-width: calc(100vw - 1rem);
  }
  .skip:focus {
    top: var(--tm-space-2);
  }
  header {
    display: flex;
    flex-wrap: wrap;
    gap: var(--tm-space-2) var(--tm-space-5);
    align-items: center;
    justify-content: space-between;
    margin-bottom: var(--tm-space-4);
  }
  header tm-model-panel {
    flex: 1 1 18rem;
    min-width: 0;
    max-width: 44rem;
  }
  h1 {
    margin: 0;
    font-size: var(--tm-text-xl);
    letter-spacing: -0.01em;
  }
  .panel {
    box-sizing: border-box;
    min-width: 0;
    background: var(--tm-surface);
    border: 1px solid var(--tm-border);
    border-radius: var(--tm-radius-lg);
    box-shadow: var(--tm-shadow);
    padding: var(--tm-space-4);
  }
  tm-first-run {
    margin-bottom: var(--tm-space-4);
  }
  .preview {
    display: grid;
    gap: var(--tm-space-3);
    min-width: 0;
  }
  tm-prediction-settings {
    margin-top: var(--tm-space-3);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: var(--tm-space-2);
    align-items: center;
    margin-top: var(--tm-space-3);
  }
  tm-dataset-toolbar,
  tm-vote-settings {
    margin-top: var(--tm-space-3);
  }
  .layout.head {
    display: grid;
    gap: var(--tm-space-4);
    margin-top: var(--tm-space-4);
  }
  .notice {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--tm-space-2);
    margin: 0 0 var(--tm-space-3);
    padding: var(--tm-space-2) var(--tm-space-3);
    border-radius: var(--tm-radius);
    background: var(--tm-notice-bg);
  }
  .notice button {
    flex: none;
  }

  /* Narrow: one column. The camera and bars stick to the top, side by side, in a compact strip. */
  @media (max-width: 759.98px) {
    :host {
      padding: var(--tm-space-3);
    }
    .layout {
      display: block;
    }
    .preview-column {
      display: contents;
    }
    .preview {
      position: sticky;
      top: 0;
      z-index: 5;
      grid-template-columns: minmax(6.5rem, 36%) minmax(0, 1fr);
      align-items: start;
      margin: 0 calc(-1 * var(--tm-space-3));
      padding: var(--tm-space-2) var(--tm-space-3);
      background: var(--tm-surface);
      border-bottom: 1px solid var(--tm-border);
      box-shadow: var(--tm-shadow);
    }
    tm-prediction-settings {
      margin: var(--tm-space-3) 0;
    }
    #classes {
      margin-top: var(--tm-space-3);
    }
  }

  /* Wide: the camera's column beside the classes, staying in view while they scroll. */
  @media (min-width: 760px) {
    .layout {
      display: grid;
      grid-template-columns: minmax(260px, 400px) minmax(0, 1fr);
      gap: var(--tm-space-4);
      align-items: start;
    }
    /* No taller than the window, so that what is under the bars (the prediction settings) is never out of reach on a
       short screen: it scrolls inside the column. */
    .preview-column {
      position: sticky;
      top: var(--tm-space-3);
      max-height: calc(100vh - 2 * var(--tm-space-3));
      overflow-y: auto;
    }
    /* A column that scrolls takes the keyboard focus in some browsers (Firefox), so it shows it as controls do. */
    .preview-column:focus-visible {
      outline: 3px solid var(--tm-focus, #0969da);
      outline-offset: 2px;
    }
    .layout.head {
      grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
    }
  }
`,
];
