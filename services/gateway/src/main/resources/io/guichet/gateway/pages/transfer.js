// A ticket offered to the reader (the link of the email ticketing's TicketTransferOffered causes): they sign in
// with the address it was offered to, or create their account with it, see the offer and accept it
// (POST /tickets/transfers/{id}/accept); the answer names their new ticket, whose page shows its code.
import { $, api, fail, problem } from './page-api.js';

const transferId = new URLSearchParams(location.search).get('transfer');
const path = '/tickets/transfers/' + encodeURIComponent(transferId || '');
let token = null;

async function signIn(register) {
  fail('');
  const credentials = { email: $('email').value, password: $('password').value };
  if (register) {
    const created = await api('POST', '/accounts', { body: credentials });
    if (created.status !== 201) {
      fail('Account not created: ' + problem(created));
      return;
    }
  }
  const answer = await api('POST', '/auth/login', { body: credentials });
  if (answer.status !== 200) {
    fail('Sign-in refused: ' + problem(answer));
    return;
  }
  token = answer.json.accessToken;
  await show();
}

/** A call that a service not yet aware of a new account answers 503 with Retry-After: asked again. */
async function patiently(method, target) {
  for (let attempt = 0; ; attempt++) {
    const answer = await api(method, target, { token });
    if (answer.status !== 503 || attempt >= 20) return answer;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function show() {
  // A new account becomes known to ticketing within moments (it reads identity's events): until then the
  // offer is not found for it, so it is asked again for a little while.
  let found = null;
  for (let attempt = 0; attempt < 20; attempt++) {
    found = await api('GET', path, { token });
    if (found.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  if (found.status !== 200) {
    fail('No such offer for this account (sign in with the address it was sent to): ' + problem(found));
    return;
  }
  const transfer = found.json;
  $('sign-in').hidden = true;
  $('offer').hidden = false;
  const event = await api('GET', '/events/' + encodeURIComponent(transfer.eventId));
  $('event').textContent = event.status === 200 ? event.json.title : transfer.eventId;
  if (event.status === 200) $('event-title').textContent = 'A ticket for ' + event.json.title;
  $('offered-at').textContent = new Date(transfer.offeredAt).toLocaleString();
  render(transfer);
}

function render(transfer) {
  $('status').textContent = transfer.status;
  $('accept').hidden = !(transfer.status === 'OFFERED' && transfer.direction === 'RECEIVED');
  if (transfer.status === 'ACCEPTED' && transfer.newTicketId) {
    $('ticket-link').href = 'ticket.html?ticket=' + encodeURIComponent(transfer.newTicketId);
    $('done').hidden = false;
  }
}

async function accept() {
  fail('');
  $('accept').disabled = true;
  const answer = await patiently('POST', path + '/accept');
  $('accept').disabled = false;
  if (answer.status !== 200) {
    fail('Not accepted: ' + problem(answer));
    return;
  }
  render(answer.json.transfer);
}

$('login-form').addEventListener('submit', (e) => {
  e.preventDefault();
  signIn(false);
});
$('register').addEventListener('click', () => {
  if ($('login-form').reportValidity()) signIn(true);
});
$('accept').addEventListener('click', accept);
if (!transferId) {
  fail('No transfer: open this page from the email, as transfer.html?transfer=<transfer id>.');
} else {
  $('sign-in').hidden = false;
}
