import { css } from 'lit';
import { buttonStyles, controlStyles } from './control-styles';

/** The side of one example's cell in px, gap included: the grid's virtualisation counts in it. */
export const CELL_PX = 76;

/** The styles of <tm-example-grid>. */
export const exampleGridStyles = [
  buttonStyles,
  controlStyles,
  css`
    :host {
      display: block;
      border: 1px solid var(--tm-border, #d0d7de);
      border-radius: 10px;
      padding: 0.75rem;
      background: var(--tm-surface, #fff);
    }
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: center;
      margin-bottom: 0.5rem;
    }
    h2 {
      font-size: 1.05rem;
      margin: 0;
      flex: 1 1 12rem;
    }
    .viewport {
      position: relative;
      height: min(60vh, 24rem);
      overflow-y: auto;
      overscroll-behavior: contain;
    }
    /* Under a phone's pinned camera strip, the grid and its buttons fit the rest of the window. */
    @media (max-width: 759px) {
      .viewport {
        height: min(35vh, 24rem);
      }
    }
    h2:focus {
      outline: none;
    }
    h2:focus-visible {
      outline: 3px solid var(--tm-focus, #1f5fd6);
      outline-offset: 2px;
    }
    .rows {
      position: absolute;
      inset: 0 0 auto 0;
      display: grid;
      grid-auto-rows: ${CELL_PX}px;
    }
    .cell {
      position: relative;
      width: ${CELL_PX - 6}px;
      height: ${CELL_PX - 6}px;
    }
    .pick {
      width: 100%;
      height: 100%;
      padding: 0;
      overflow: hidden;
      display: grid;
      place-items: center;
      font-size: 0.75rem;
      color: #57606a;
      background: #f6f8fa;
    }
    .pick[aria-checked='true'] {
      outline: 3px solid var(--tm-accent, #0969da);
      outline-offset: -3px;
    }
    .pick img {
      width: 100%;
      height: 100%;
      object-fit: cover;
    }
    .remove {
      position: absolute;
      top: 2px;
      right: 2px;
      min-width: 24px;
      min-height: 24px;
      padding: 0;
      line-height: 1;
    }
    .empty {
      color: #57606a;
    }
  `,
];
