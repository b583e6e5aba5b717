// The pages' service worker: it keeps the buyer's ticket page and the gate's scanner app, with all
// they load, so that they open again with no network (a stadium's gate often has none) once they
// have been opened with one. Network first, so a new version is picked up at once; the kept copy
// when the network fails. Only the pages' own files: API answers (the wallet, the bundle) are never
// kept here; the pages keep what they need in the device's storage.
const CACHE = 'guichet-pages-v1';
const FILES = [
  'ticket.html',
  'ticket.js',
  'scanner.html',
  'scanner.js',
  'ticket-codes.js',
  'page-api.js',
  'pages.css',
  'vendor/jsQR.js',
  'vendor/qrcode-generator.js',
  'vendor/noble-ed25519.js',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith('/pages/')) {
    return;
  }
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(url.origin + url.pathname, copy));
        }
        return response;
      })
      .catch(() => caches.match(url.origin + url.pathname).then((kept) => kept || Response.error())),
  );
});
