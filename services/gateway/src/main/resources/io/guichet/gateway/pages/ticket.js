// A buyer's ticket: the rotating code to show at the gate, made on this device from the ticket's
// wallet (GET /tickets/{id}/wallet: the signed card and the ticket's code key), drawn as a QR code
// that changes every 15 seconds. The wallet is kept on the device, so that once loaded the page
// goes on showing live codes without a connection; the server's clock, sent with the wallet,
// corrects a device whose clock is off.
import { $, api, fail, problem } from './page-api.js';
import { base64UrlToBytes, present } from './ticket-codes.js';
import { qrcode } from './vendor/qrcode-generator.js';

const ticketId = new URLSearchParams(location.search).get('ticket');
const KEPT = 'guichet.wallet.' + ticketId;
let wallet = null;
let offset = 0;
let shown = null;

async function login(e) {
  e.preventDefault();
  fail('');
  const answer = await api('POST', '/auth/login', { body: { email: $('email').value, password: $('password').value } });
  if (answer.status !== 200) {
    fail('Sign-in refused: ' + problem(answer));
    return;
  }
  const token = answer.json.accessToken;
  const found = await api('GET', '/tickets/' + encodeURIComponent(ticketId) + '/wallet', { token });
  if (found.status !== 200) {
    fail('No code for this ticket: ' + problem(found));
    return;
  }
  const event = await api('GET', '/events/' + encodeURIComponent(found.json.ticket.eventId));
  const kept = {
    wallet: found.json,
    offset: Date.parse(found.json.serverTime) - Date.now(),
    title: event.status === 200 ? event.json.title : null,
  };
  localStorage.setItem(KEPT, JSON.stringify(kept));
  start(kept);
}

function start(kept) {
  wallet = kept.wallet;
  offset = kept.offset;
  $('sign-in').hidden = true;
  $('ticket').hidden = false;
  if (kept.title) $('event-title').textContent = kept.title;
  $('ticket-id').textContent = wallet.ticket.ticketId;
  $('seat').textContent = wallet.ticket.seatIndex;
  $('status').textContent = wallet.ticket.status;
  $('period').textContent = wallet.periodSeconds;
  tick();
  setInterval(tick, 500);
}

async function tick() {
  const now = Date.now() + offset;
  const period = wallet.periodSeconds * 1000;
  $('countdown').style.width = (100 * (period - (now % period))) / period + '%';
  const text = await present(wallet.card, base64UrlToBytes(wallet.codeKey), now, wallet);
  if (text === shown) return;
  shown = text;
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  $('code-image').src = qr.createDataURL(4, 4);
  $('code-text').textContent = text.slice(text.lastIndexOf('.') + 1);
}

// Opens again with no network once opened with one (sw.js).
if ('serviceWorker' in navigator) navigator.serviceWorker.register('sw.js');
$('login-form').addEventListener('submit', login);
if (!ticketId) {
  fail('No ticket: open this page as ticket.html?ticket=<ticket id>.');
} else {
  const kept = localStorage.getItem(KEPT);
  if (kept) start(JSON.parse(kept));
  else $('sign-in').hidden = false;
}
