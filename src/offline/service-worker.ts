/**
 * The production build's service worker (bundled into sw.js by server/production-build.mjs, which defines the two
 * constants below): it keeps this version of the app shell, its hashed scripts and styles and the tfjs wasm
 * binaries in a cache, so that after one visit the app starts with no network. The models are not cached here:
 * the loader keeps each model it loads in IndexedDB (src/models/loader.ts).
 *
 * Cached responses keep the headers they were served with, so the page served from the cache is still
 * cross-origin isolated (COOP/COEP, which the wasm threads need) and under the same Content-Security-Policy.
 */

/** URLs relative to this script: the app shell ('./'), the build's files and the wasm binaries. */
declare const PRECACHE_URLS: readonly string[];
/** Changes whenever any precached file changes, which makes the browser install the new worker. */
declare const PRECACHE_VERSION: string;
/** Fetched at every start when the network allows (the server may change it), else taken from the cache. */
declare const NETWORK_FIRST_URLS: readonly string[];

// The DOM typings have no service worker scope; these are the few members used here.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ServiceWorkerScope {
  readonly registration: { readonly scope: string };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const scope = self as unknown as ServiceWorkerScope;
const CACHE_PREFIX = 'teachable-knn-app-';
const cacheName = CACHE_PREFIX + PRECACHE_VERSION;
const shellUrl = new URL('./', scope.registration.scope).href;
const precached = new Set(PRECACHE_URLS.map((url) => new URL(url, scope.registration.scope).href));
const networkFirst = new Set(NETWORK_FIRST_URLS.map((url) => new URL(url, scope.registration.scope).href));

scope.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(cacheName).then(async (cache) => {
      await cache.addAll([...precached]);
      // Optional files (a static host has no app-config.json): cached when there, skipped when not.
      await Promise.all([...networkFirst].map((url) => cache.add(url).catch(() => undefined)));
    }),
  );
});

scope.addEventListener('activate', (event) => {
  // Older versions' caches go once this version is in charge.
  event.waitUntil(
    caches.keys().then((names) =>
      Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== cacheName).map((name) => caches.delete(name))),
    ),
  );
});

scope.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  url.hash = '';
  if (request.mode === 'navigate' && url.origin === new URL(shellUrl).origin && isShellPath(url)) {
    event.respondWith(fromCacheFirst(shellUrl, request));
    return;
  }
  url.search = '';
  if (networkFirst.has(url.href)) event.respondWith(fromNetworkFirst(url.href, request));
  else if (precached.has(url.href)) event.respondWith(fromCacheFirst(url.href, request));
  // Anything else (the model mirror, other origins) goes to the network as if there were no worker.
});

function isShellPath(url: URL): boolean {
  const path = new URL(shellUrl).pathname;
  return url.pathname === path || url.pathname === `${path}index.html`;
}

async function fromCacheFirst(key: string, request: Request): Promise<Response> {
  const cached = await caches.match(key, { cacheName });
  return cached ?? fetch(request);
}

async function fromNetworkFirst(key: string, request: Request): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.ok) await (await caches.open(cacheName)).put(key, response.clone());
    return response;
  } catch (error) {
    const cached = await caches.match(key, { cacheName });
    if (cached) return cached;
    throw error;
  }
}

// A module, so that the names above stay its own rather than merge with the global ones.
export {};
