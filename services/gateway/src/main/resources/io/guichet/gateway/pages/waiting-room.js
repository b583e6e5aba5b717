// The waiting room page: sign in, join the event's queue, watch the place move (server-sent events,
// read with fetch so that the access token goes in a header; polling if the stream breaks), then
// reserve with the admission pass. Plain JavaScript against Guichet's public API, nothing to build.
import { $, api, fail, followEvents, problem } from './page-api.js';

const eventId = new URLSearchParams(location.search).get('event');
let token = null;
let pass = null;
let lastAhead = null;

/** A call with the buyer's token once signed in. */
function call(method, path, body, headers = {}) {
  return api(method, path, { body, token, headers });
}

async function loadEvent() {
  if (!eventId) {
    fail('No event: open this page as waiting-room.html?event=<event id>.');
    return;
  }
  const answer = await call('GET', '/events/' + encodeURIComponent(eventId));
  if (answer.status !== 200) {
    $('event-title').textContent = 'Event ' + eventId;
    return;
  }
  $('event-title').textContent = answer.json.title || eventId;
  for (const offer of answer.json.offers || []) {
    const option = document.createElement('option');
    option.value = offer.id;
    option.textContent = offer.name;
    $('offer').appendChild(option);
  }
}

async function login(e) {
  e.preventDefault();
  fail('');
  const answer = await call('POST', '/auth/login', { email: $('email').value, password: $('password').value });
  if (answer.status !== 200) {
    fail('Sign-in refused: ' + problem(answer));
    return;
  }
  token = answer.json.accessToken;
  $('sign-in').hidden = true;
  $('queue').hidden = false;
}

async function join() {
  fail('');
  const answer = await call('POST', '/waiting-rooms/' + encodeURIComponent(eventId) + '/queue');
  if (answer.status !== 202) {
    fail('Could not join: ' + problem(answer));
    return;
  }
  $('join').disabled = true;
  $('state').textContent = 'JOINING';
  follow();
}

function show(place) {
  $('state').textContent = place.state;
  $('position').textContent = place.position == null ? 'drawn at the opening' : place.position;
  $('ahead').textContent = place.position == null ? '—' : place.ahead;
  $('wait').textContent = place.estimatedWaitSeconds == null ? '—' : place.estimatedWaitSeconds + ' s';
  const explain = {
    PRE_QUEUE: 'The sale has not opened: everyone here now gets a place drawn at random when it opens.',
    WAITING: 'Keep this page open: you will be let through in turn.',
    ADMITTED: 'It is your turn.',
    PASS_EXPIRED: 'Your turn passed without a reservation.',
    SOLD_OUT: 'Sold out for now: if seats come back, the queue moves again.',
    CLOSED: 'The waiting room is closed: reserve directly.',
  };
  $('explain').textContent = explain[place.state] || '';
  if (place.position != null && place.state === 'WAITING' && place.ahead !== lastAhead) {
    lastAhead = place.ahead;
    const item = document.createElement('li');
    item.textContent = place.ahead;
    $('history').appendChild(item);
  }
  if (place.state === 'ADMITTED' && place.pass) {
    pass = place.pass;
    $('pass-expires').textContent = new Date(place.passExpiresAt).toLocaleTimeString();
    $('reserve-section').hidden = false;
  }
}

// The place as server-sent events ("event: place"); polling if the stream breaks.
async function follow() {
  try {
    await followEvents(
      '/waiting-rooms/' + encodeURIComponent(eventId) + '/queue/me/events',
      (type, place) => {
        if (type === 'place') show(place);
      },
      { Authorization: 'Bearer ' + token },
    );
  } catch (e) {
    // The stream broke (a proxy, the network): polling takes over.
  }
  if (!pass) poll();
}

async function poll() {
  const answer = await call('GET', '/waiting-rooms/' + encodeURIComponent(eventId) + '/queue/me');
  if (answer.status === 200) show(answer.json);
  if (!pass) setTimeout(poll, 2000);
}

async function reserve() {
  fail('');
  const answer = await call(
    'POST',
    '/reservations',
    { event: eventId, offer: $('offer').value, quantity: Number($('quantity').value) },
    { 'Admission-Pass': pass },
  );
  if (answer.status !== 202) {
    fail('Reservation refused: ' + problem(answer));
    return;
  }
  $('reserve').disabled = true;
  const id = answer.json.reservationId;
  $('reservation-status').textContent = 'REQUESTED';
  const check = async () => {
    const status = await call('GET', '/reservations/' + encodeURIComponent(id));
    if (status.status === 200) $('reservation-status').textContent = status.json.status;
    if (status.status !== 200 || status.json.status === 'REQUESTED') setTimeout(check, 500);
  };
  check();
}

$('login-form').addEventListener('submit', login);
$('join').addEventListener('click', join);
$('reserve').addEventListener('click', reserve);
loadEvent();
