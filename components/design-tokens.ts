import { css } from 'lit';

/**
 * The app's design tokens, in one place: colours (light and dark), spacing, type scale, radii and elevation, as
 * CSS custom properties on <tm-app>. Custom properties inherit through shadow roots, so every element inside
 * reads them; each element still gives its own fallback, so it also works alone (tests, <tm-classifier>).
 */
export const designTokens = css`
  :host {
    /* Colour */
    --tm-text: #1b1f24;
    --tm-muted: #57606a;
    --tm-surface: #ffffff;
    --tm-surface-sunken: #f3f5f8;
    --tm-border: #d0d7de;
    --tm-accent: #1f5fd6;
    --tm-accent-hover: #1a4fb3;
    --tm-accent-text: #ffffff;
    --tm-accent-soft: #e8f0fd;
    --tm-focus: #1f5fd6;
    --tm-danger: #c9252f;
    --tm-recording: #c62828;
    --tm-notice-bg: #fff8c5;
    --tm-disabled-bg: #e6e9ed;
    --tm-disabled-text: #6e7781;
    --tm-bar-track: #e5e8ec;
    /* Spacing: a 4 px scale */
    --tm-space-1: 0.25rem;
    --tm-space-2: 0.5rem;
    --tm-space-3: 0.75rem;
    --tm-space-4: 1rem;
    --tm-space-5: 1.5rem;
    --tm-space-6: 2rem;
    /* Type scale */
    --tm-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --tm-text-sm: 0.875rem;
    --tm-text-md: 1rem;
    --tm-text-lg: 1.125rem;
    --tm-text-xl: 1.5rem;
    /* Radii and elevation */
    --tm-radius-sm: 6px;
    --tm-radius: 10px;
    --tm-radius-lg: 14px;
    --tm-radius-pill: 999px;
    --tm-shadow: 0 1px 2px rgb(27 31 36 / 6%), 0 2px 8px rgb(27 31 36 / 6%);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --tm-text: #e6edf3;
      --tm-muted: #9ea7b3;
      --tm-surface: #161b22;
      --tm-surface-sunken: #0d1117;
      --tm-border: #30363d;
      --tm-accent: #4493f8;
      --tm-accent-hover: #6aa8fa;
      --tm-accent-text: #0d1117;
      --tm-accent-soft: #132b4d;
      --tm-focus: #4493f8;
      --tm-danger: #f85149;
      --tm-recording: #f0605a;
      --tm-notice-bg: #3b2e00;
      --tm-disabled-bg: #262c34;
      --tm-disabled-text: #8b949e;
      --tm-bar-track: #2d333b;
      --tm-shadow: none;
    }
  }
`;
