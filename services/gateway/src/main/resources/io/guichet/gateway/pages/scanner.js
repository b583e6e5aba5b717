// The gate's scanner app: a scanner signs in, the app downloads the event's scanner bundle (keys,
// revoked and used tickets, each ticket's code key), reads QR codes from the camera (jsQR over the
// video's frames) and asks the gate online, whose answer is the authority. When the gate cannot be
// reached it decides offline from the bundle (ticket-codes.js), keeps a log of those scans on the
// device, and sends the log to POST /scans/offline when the connection returns; the gate reports a
// ticket two offline devices both let in as DUPLICATE_OFFLINE.
import { $, api, fail, problem } from './page-api.js';
import { decideOffline, prepare } from './ticket-codes.js';

const params = new URLSearchParams(location.search);
const eventId = params.get('event');
const engine = params.get('crypto'); // "noble": verify with the library even where WebCrypto can
const LOG = 'guichet.scanner.log.' + eventId;
const BUNDLE = 'guichet.scanner.bundle.' + eventId;
let token = null;
let gate = 'main';
let bundle = null;
let offset = 0; // server clock minus this device's, from the bundle
let lastText = null; // the code in view, scanned once however long it stays
let lastSeenAt = 0;
let syncing = false;
let reachable = true; // whether the last call to the gate got an answer

const device = localStorage.getItem('guichet.scanner.device') || 'dev-' + crypto.randomUUID();
localStorage.setItem('guichet.scanner.device', device);

function log() {
  return JSON.parse(localStorage.getItem(LOG) || '[]');
}

function saveLog(entries) {
  localStorage.setItem(LOG, JSON.stringify(entries));
  showCounts();
}

function showCounts() {
  const entries = log();
  $('scanned').textContent = entries.length;
  $('accepted').textContent = entries.filter((e) => e.outcome === 'ACCEPTED').length;
  $('pending').textContent = entries.filter((e) => !e.synced).length;
  $('duplicates').textContent = entries.filter((e) => e.serverReason === 'DUPLICATE_OFFLINE').length;
}

function online() {
  return navigator.onLine;
}

function showMode() {
  const up = online() && reachable;
  $('mode').textContent = up ? 'ONLINE' : 'OFFLINE';
  $('mode').className = up ? '' : 'offline';
}

/** A call with the scanner's token, noting whether the gate answered. */
async function call(method, path, body) {
  try {
    const answer = await api(method, path, { body, token });
    reachable = true;
    return answer;
  } catch (e) {
    reachable = false;
    throw e;
  } finally {
    showMode();
  }
}

function show(verdict, offline) {
  const accepted = verdict.outcome === 'ACCEPTED';
  $('verdict').textContent = verdict.outcome + (offline ? ' (offline)' : '');
  $('verdict').className = accepted ? 'accepted' : 'rejected';
  $('reason').textContent = accepted ? '' : verdict.reason || '';
  $('detail').textContent = verdict.detail || '';
  // A seated ticket: where to send its holder (issue 21).
  $('seat').textContent = verdict.seat ? 'Seat ' + verdict.seat : '';
}

async function loadBundle() {
  const answer = await call('GET', '/events/' + encodeURIComponent(eventId) + '/scanner-bundle');
  if (answer.status !== 200) throw new Error('bundle: ' + problem(answer));
  bundle = answer.json;
  offset = Date.parse(bundle.serverTime) - Date.now();
  try {
    localStorage.setItem(BUNDLE, JSON.stringify(bundle));
  } catch (e) {
    // Too large for this browser's storage: kept in memory for this session.
  }
  $('bundle-size').textContent = Object.keys(bundle.codeKeys).length + bundle.revokedTickets.length;
}

async function login(e) {
  e.preventDefault();
  fail('');
  gate = $('gate').value.trim() || 'main';
  const answer = await call('POST', '/auth/login', {
    email: $('email').value,
    password: $('password').value,
    code: $('code').value.trim(),
  });
  if (answer.status !== 200) {
    fail('Sign-in refused: ' + problem(answer));
    return;
  }
  token = answer.json.accessToken;
  try {
    $('crypto').textContent = await prepare(engine);
    await loadBundle();
  } catch (err) {
    fail(String(err.message || err));
    return;
  }
  $('sign-in').hidden = true;
  $('scanning').hidden = false;
  $('device').textContent = device;
  $('event-title').textContent = 'Event ' + eventId + ', gate ' + gate;
  showCounts();
  startCamera();
  setInterval(refresh, 30000);
  setInterval(sync, 5000);
}

/** Online: the bundle again (tickets used at other gates), and the log's unsent scans. */
async function refresh() {
  if (!online()) return;
  try {
    await loadBundle();
  } catch (e) {
    // Not now; the next round.
  }
  sync();
}

function usedHere() {
  return new Set(log().filter((e) => e.outcome === 'ACCEPTED' && e.ticketId).map((e) => e.ticketId));
}

async function scan(text) {
  const now = Date.now();
  if (text === lastText) return;
  lastText = text;
  const scanId = crypto.randomUUID();
  if (online()) {
    try {
      const answer = await call('POST', '/scans', { payload: text, gate, event: eventId });
      if (answer.status === 200) {
        show(answer.json, false);
        const entries = log();
        entries.push({ scanId, online: true, synced: true, outcome: answer.json.outcome, reason: answer.json.reason, ticketId: answer.json.ticketId, scannedAt: new Date(now).toISOString() });
        saveLog(entries);
        return;
      }
      if (answer.status < 500 && answer.status !== 401) {
        show({ outcome: 'REJECTED', reason: 'OTHER', detail: problem(answer) }, false);
        return;
      }
    } catch (e) {
      // The gate cannot be reached: decided here.
    }
  }
  let verdict;
  try {
    verdict = bundle
      ? await decideOffline(text, bundle, usedHere(), now + offset, engine)
      : { outcome: 'REJECTED', reason: 'OTHER', detail: 'no scanner bundle on this device: connect and sign in' };
  } catch (e) {
    verdict = { outcome: 'REJECTED', reason: 'OTHER', detail: 'could not be checked here: ' + (e.message || e) };
  }
  show(verdict, true);
  const entries = log();
  entries.push({
    scanId,
    payload: text,
    gate,
    scannedAt: new Date(now + offset).toISOString(),
    outcome: verdict.outcome,
    reason: verdict.reason,
    ticketId: verdict.ticketId || null,
    synced: false,
  });
  saveLog(entries);
}

/** Sends the scans decided offline; each is recorded once by the gate, however often it is sent. */
async function sync() {
  if (syncing || !online()) return;
  const unsent = log().filter((e) => !e.synced).slice(0, 1000);
  if (unsent.length === 0) return;
  syncing = true;
  try {
    const answer = await call('POST', '/scans/offline', {
      device,
      event: eventId,
      scans: unsent.map((e) => ({
        scanId: e.scanId,
        payload: e.payload,
        gate: e.gate,
        scannedAt: e.scannedAt,
        outcome: e.outcome,
        reason: e.outcome === 'REJECTED' ? e.reason : null,
      })),
    });
    if (answer.status === 200) {
      const verdicts = new Map(answer.json.scans.map((v) => [v.scanId, v]));
      const entries = log().map((e) => {
        const v = verdicts.get(e.scanId);
        return v ? { ...e, synced: true, serverOutcome: v.outcome, serverReason: v.reason } : e;
      });
      saveLog(entries);
    } else {
      fail('Sync refused: ' + problem(answer));
    }
  } catch (e) {
    // Offline again: the next round.
  } finally {
    syncing = false;
  }
}

async function startCamera() {
  const video = $('camera');
  try {
    video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    await video.play();
  } catch (e) {
    fail('No camera (' + (e.message || e) + '): type the codes below.');
    return;
  }
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  const frame = async () => {
    if (video.videoWidth > 0) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
      // A code that stays in view is scanned once; taken away for a second and shown again, it is a
      // new scan (a frame the decoder misses is not taking it away).
      if (found && found.data) {
        lastSeenAt = Date.now();
        await scan(found.data.trim());
      } else if (Date.now() - lastSeenAt > 1000) {
        lastText = null;
      }
      video.dataset.ready = lastText === null ? 'yes' : 'no';
    }
    setTimeout(frame, 150);
  };
  frame();
}

// Opens again with no network once opened with one (sw.js).
if ('serviceWorker' in navigator) navigator.serviceWorker.register('sw.js');
$('login-form').addEventListener('submit', login);
$('manual-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('manual').value.trim();
  $('manual').value = '';
  lastText = null;
  if (text) scan(text);
});
window.addEventListener('online', () => {
  showMode();
  sync();
});
window.addEventListener('offline', showMode);
if (!eventId) fail('No event: open this page as scanner.html?event=<event id>.');
const kept = localStorage.getItem(BUNDLE);
if (kept) bundle = JSON.parse(kept);
showMode();
