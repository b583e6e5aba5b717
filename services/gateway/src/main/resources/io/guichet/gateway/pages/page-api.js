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
