// The seat map page (issue 21): the event's seats drawn from its layout (catalog's public seat map),
// coloured live from the query service's stream of seat changes (only the seats that change, read
// with fetch; the stream starts again on a break); a signed-in buyer picks free seats or asks for
// the best available, and follows the reservation until the allocator decides. Plain JavaScript
// against Guichet's public API, nothing to build.
import { $, api, fail, followEvents, problem } from './page-api.js';

const SVG = 'http://www.w3.org/2000/svg';
const eventId = new URLSearchParams(location.search).get('event');
const seats = new Map(); // "section\u0001row\u0001seat" -> { element, category, sellable, status }
const chosen = new Map(); // key -> { section, row, seat, category }
let offers = {}; // category -> offer id
let token = null;

const key = (section, row, seat) => section + '\u0001' + row + '\u0001' + seat;
const label = (s) => s.section + ' ' + s.row + '-' + s.seat;

function paint(entry) {
  const classes = ['seat', entry.sellable ? entry.status.toLowerCase() : 'unsold'];
  if (entry.mine) classes.push('mine');
  if (chosen.has(entry.key)) classes.push('selected');
  entry.element.setAttribute('class', classes.join(' '));
  entry.element.dataset.status = entry.sellable ? entry.status : 'UNSOLD';
}

function setStatus(seat, status) {
  const entry = seats.get(key(seat.section, seat.row, seat.seat));
  if (!entry) return;
  entry.status = status;
  if (status !== 'FREE') chosen.delete(entry.key);
  paint(entry);
}

function count() {
  let free = 0;
  for (const entry of seats.values()) if (entry.sellable && entry.status === 'FREE') free++;
  $('free-count').textContent = free;
  $('chosen').textContent = chosen.size ? [...chosen.values()].map(label).join(', ') : 'none';
}

async function draw() {
  if (!eventId) {
    fail('No event: open this page as seat-map.html?event=<event id>.');
    return false;
  }
  const answer = await api('GET', '/events/' + encodeURIComponent(eventId) + '/seat-map');
  if (answer.status !== 200) {
    fail('No seat map: ' + problem(answer));
    return false;
  }
  const map = answer.json;
  offers = map.offers || {};
  $('event-title').textContent = map.name;
  for (const category of Object.keys(offers).sort()) {
    const option = document.createElement('option');
    option.value = category;
    option.textContent = category;
    $('category').appendChild(option);
  }
  const all = map.sections.flatMap((s) => s.rows.flatMap((r) => r.seats));
  const xs = all.map((s) => s.x);
  const ys = all.map((s) => s.y);
  // A seat's circle: a little less than half the gap to its neighbour in the first long row.
  const row = map.sections.flatMap((s) => s.rows).find((r) => r.seats.length > 1);
  const gap = row ? Math.hypot(row.seats[1].x - row.seats[0].x, row.seats[1].y - row.seats[0].y) : 1;
  const radius = (gap || 1) * 0.42;
  const minX = Math.min(...xs) - 2 * radius;
  const minY = Math.min(...ys) - 2 * radius;
  const svg = $('map');
  svg.setAttribute(
    'viewBox',
    [minX, minY, Math.max(...xs) - minX + 2 * radius, Math.max(...ys) - minY + 2 * radius].join(' '),
  );
  for (const section of map.sections) {
    for (const r of section.rows) {
      for (const s of r.seats) {
        const circle = document.createElementNS(SVG, 'circle');
        circle.setAttribute('cx', s.x);
        circle.setAttribute('cy', s.y);
        circle.setAttribute('r', radius);
        circle.dataset.section = section.label;
        circle.dataset.row = r.label;
        circle.dataset.seat = s.label;
        const title = document.createElementNS(SVG, 'title');
        title.textContent = section.label + ' ' + r.label + '-' + s.label + ' (' + s.category + ')';
        circle.appendChild(title);
        const entry = {
          key: key(section.label, r.label, s.label),
          element: circle,
          category: s.category,
          sellable: s.sellable && offers[s.category] !== undefined,
          status: 'FREE',
        };
        seats.set(entry.key, entry);
        circle.addEventListener('click', () => choose(entry, section.label, r.label, s.label));
        paint(entry);
        svg.appendChild(circle);
      }
    }
  }
  count();
  return true;
}

function choose(entry, section, row, seat) {
  if (!entry.sellable || entry.status !== 'FREE') return;
  if (chosen.has(entry.key)) chosen.delete(entry.key);
  else chosen.set(entry.key, { section, row, seat, category: entry.category });
  paint(entry);
  count();
}

// The seats as server-sent events: "seats" (the seats taken now), then "changes" (only the seats that changed).
async function follow() {
  for (;;) {
    try {
      await followEvents('/views/events/' + encodeURIComponent(eventId) + '/seats/events', (type, view) => {
        if (type === 'seats') {
          // A new snapshot: every seat not listed is free.
          for (const entry of seats.values()) {
            entry.status = 'FREE';
            paint(entry);
          }
        }
        if (type === 'seats' || type === 'changes') {
          for (const seat of view.seats) setStatus(seat, seat.status);
          count();
        }
      });
    } catch (e) {
      // The stream broke (a proxy, a restart): it starts again, from a fresh snapshot.
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function login(e) {
  e.preventDefault();
  fail('');
  const answer = await api('POST', '/auth/login', { body: { email: $('email').value, password: $('password').value } });
  if (answer.status !== 200) {
    fail('Sign-in refused: ' + problem(answer));
    return;
  }
  token = answer.json.accessToken;
  $('sign-in').hidden = true;
  $('reserve-section').hidden = false;
}

async function reserve(body) {
  fail('');
  $('reservation-seats').textContent = '';
  const answer = await api('POST', '/reservations', { body, token });
  if (answer.status !== 202) {
    fail('Reservation refused: ' + problem(answer));
    return;
  }
  const id = answer.json.reservationId;
  $('reservation-status').textContent = 'REQUESTED';
  const check = async () => {
    const status = await api('GET', '/reservations/' + encodeURIComponent(id), { token });
    if (status.status === 200) {
      const view = status.json;
      $('reservation-status').textContent = view.status;
      if (view.status === 'HELD') {
        $('reservation-seats').textContent = (view.assignedSeats || []).map(label).join(', ');
        for (const seat of view.assignedSeats || []) {
          const entry = seats.get(key(seat.section, seat.row, seat.seat));
          if (entry) {
            entry.mine = true;
            paint(entry);
          }
        }
      } else if (view.status === 'REJECTED') {
        $('reservation-seats').textContent = view.detail || view.reason || '';
      }
    }
    if (status.status !== 200 || status.json.status === 'REQUESTED') setTimeout(check, 300);
  };
  check();
}

function reserveChosen() {
  const picked = [...chosen.values()];
  if (picked.length === 0) {
    fail('Choose free seats on the map first.');
    return;
  }
  const categories = new Set(picked.map((s) => s.category));
  if (categories.size > 1) {
    fail('Choose seats of one category at a time: each is sold by its own offer.');
    return;
  }
  reserve({
    event: eventId,
    offer: offers[picked[0].category],
    quantity: picked.length,
    seats: picked.map(({ section, row, seat }) => ({ section, row, seat })),
  });
}

function reserveBest() {
  reserve({ event: eventId, offer: offers[$('category').value], quantity: Number($('quantity').value) });
}

$('login-form').addEventListener('submit', login);
$('reserve-chosen').addEventListener('click', reserveChosen);
$('reserve-best').addEventListener('click', reserveBest);
draw().then((drawn) => {
  if (drawn) follow();
});
