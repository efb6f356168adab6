// The production build's Content-Security-Policy: sent as a header by the preview server (and whatever serves
// dist/ the same way) and written into the built index.html as a <meta> for static hosts that set no headers.
// Why each source beyond 'self' is there is in docs/security.md.
import { isolationHeaders } from './local-assets.mjs';

/**
 * Hosts the public model URLs of src/models/catalog.ts load from: Google Cloud Storage for the Teachable
 * Machine MobileNet, TF Hub for the two graph models, which it redirects to Kaggle and back to Cloud Storage.
 */
export const MODEL_ORIGINS = ['https://storage.googleapis.com', 'https://tfhub.dev', 'https://www.kaggle.com'];

const directives = [
  ["default-src", "'self'"],
  // 'wasm-unsafe-eval': compiling the tfjs wasm binaries. blob:: the threaded wasm backend's workers are blob:
  // scripts that importScripts() the backend's code, again as a blob: URL, and workers inherit this policy.
  ['script-src', "'self' 'wasm-unsafe-eval' blob:"],
  ['worker-src', "'self' blob:"],
  // Lit's styles are constructed style sheets and the bars' widths CSSOM properties: no inline styles at all.
  ['style-src', "'self'"],
  // Thumbnails are data: JPEGs.
  ['img-src', "'self' data:"],
  ['connect-src', ["'self'", ...MODEL_ORIGINS].join(' ')],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
];

/** Directives a <meta> policy cannot carry (browsers ignore them there, with a console error). */
const headerOnlyDirectives = [['frame-ancestors', "'none'"]];

/** The policy as one header value; `forMeta` leaves out what only a header can say. */
export function contentSecurityPolicy({ forMeta = false } = {}) {
  const all = forMeta ? directives : [...directives, ...headerOnlyDirectives];
  return all.map(([name, value]) => `${name} ${value}`).join('; ');
}

/** Every header the built app wants: cross-origin isolation for wasm threads, and the policy. */
export const productionHeaders = {
  ...isolationHeaders,
  'Content-Security-Policy': contentSecurityPolicy(),
};
