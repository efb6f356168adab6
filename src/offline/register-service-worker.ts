/**
 * Loaded by the production build only (server/production-build.mjs adds it to index.html): registers sw.js,
 * which keeps the app in a cache so that it starts offline after one visit. Without service workers (or when
 * registering fails, e.g. on plain http from another machine) the app works as before, online only.
 */
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register(new URL('sw.js', document.baseURI)).catch((error: unknown) => {
    console.warn('The app will not start offline: its service worker could not be registered.', error);
  });
}
