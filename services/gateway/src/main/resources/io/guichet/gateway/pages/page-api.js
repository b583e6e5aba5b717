// What the pages share: calls to Guichet's API on this origin, and its problem+json answers read out.

export const $ = (id) => document.getElementById(id);

/**
 * One call: answers the status and the JSON body (null when there is none); throws when the network
 * fails (no answer at all).
 */
export async function api(method, path, { body, token, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (token) init.headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const type = response.headers.get('Content-Type') || '';
  return { status: response.status, json: type.includes('json') ? await response.json() : null };
}

/** A problem answer in words: its detail, then each field it names. */
export function problem(answer) {
  const j = answer.json || {};
  const fields = (j.errors || []).map((e) => e.field + ': ' + e.message).join('; ');
  return (j.detail || 'HTTP ' + answer.status) + (fields ? ' (' + fields + ')' : '');
}

/** Shows a message in the page's alert line (empty: none). */
export function fail(message) {
  $('error').textContent = message;
}

/**
 * Server-sent events over fetch (so that an access token can go in a header): calls onEvent(type, data) for each event
 * with data ("event:" and "data:" lines, a blank line between events) until the stream ends; throws when it cannot be
 * opened (an answer other than 200).
 */
export async function followEvents(path, onEvent, headers = {}) {
  const response = await fetch(path, { headers: { ...headers, Accept: 'text/event-stream' } });
  if (response.status !== 200 || !response.body) throw new Error('HTTP ' + response.status);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split('\n');
      const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5)).join('\n');
      const type = (lines.find((l) => l.startsWith('event:')) || '').slice(6).trim();
      if (data) onEvent(type, JSON.parse(data));
    }
  }
}
