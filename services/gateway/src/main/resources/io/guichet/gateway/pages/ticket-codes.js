// Guichet's ticket codes in the browser, for the buyer's ticket page and the scanner app.
// A rotating code is GT2.<claims>.<signature>.<step>.<code>: a card signed with the event's Ed25519
// key (claims: ticketId|eventId|offerId|keyId, no secret), then the RFC 6238 code of a 15-second
// step, HMAC-SHA-256 of the ticket's code key, 8 digits. A static code is GT1.<claims>.<signature>.
// HMAC and Ed25519 are the browser's WebCrypto; where the browser has no Ed25519 in WebCrypto, the
// vendored @noble/ed25519 verifies instead.
'use strict';

const CLAIM = /^[A-Za-z0-9._:-]{1,100}$/;
const ROTATING = /^GT2\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([0-9]{1,12})\.([0-9]{8})$/;
const STATIC = /^GT1\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;
const SPKI_ED25519 = '302a300506032b6570032100';

export function base64UrlToBytes(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

function bytesToBase64Url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** RFC 4226 over HMAC-SHA-256: the code of one counter (a time step). */
export async function hotp(keyBytes, counter, digits) {
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const message = new ArrayBuffer(8);
  new DataView(message).setBigUint64(0, BigInt(counter));
  const h = new Uint8Array(await crypto.subtle.sign('HMAC', key, message));
  const o = h[h.length - 1] & 0x0f;
  const binary = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(binary % 10 ** digits).padStart(digits, '0');
}

export function stepAt(millis, periodSeconds) {
  return Math.floor(millis / 1000 / periodSeconds);
}

/** The text to show at this time: the card completed with the step's code. */
export async function present(card, codeKeyBytes, millis, parameters) {
  const step = stepAt(millis, parameters.periodSeconds);
  return card + '.' + step + '.' + (await hotp(codeKeyBytes, step, parameters.digits));
}

/** Reads a code without trusting it: null when it is not a Guichet ticket code. */
export function read(text) {
  let m = ROTATING.exec(text);
  const rotating = m !== null;
  if (!m) m = STATIC.exec(text);
  if (!m) return null;
  let claims;
  try {
    claims = new TextDecoder('utf-8', { fatal: true }).decode(base64UrlToBytes(m[1])).split('|');
  } catch (e) {
    return null;
  }
  if (claims.length !== (rotating ? 4 : 5) || !claims.slice(0, 4).every((c) => CLAIM.test(c))) return null;
  return {
    rotating,
    signed: (rotating ? 'GT2.' : 'GT1.') + m[1] + '.' + m[2],
    ticketId: claims[0],
    eventId: claims[1],
    offerId: claims[2],
    keyId: claims[3],
    step: rotating ? Number(m[3]) : null,
    code: rotating ? m[4] : null,
  };
}

let noble = null;

/**
 * Loads what verifies signatures while the network is there: nothing when the browser's WebCrypto
 * has Ed25519, the vendored library otherwise (or when asked for it), so that an offline scanner
 * can verify. Answers which: "webcrypto" or "noble".
 */
export async function prepare(engine) {
  if (engine !== 'noble') {
    try {
      await crypto.subtle.importKey('spki', hexToBytes(SPKI_ED25519 + '00'.repeat(32)), { name: 'Ed25519' }, false, ['verify']);
      return 'webcrypto';
    } catch (e) {
      // No Ed25519 in this browser's WebCrypto.
    }
  }
  if (!noble) noble = await import('./vendor/noble-ed25519.js');
  return 'noble';
}

function hexToBytes(hex) {
  return Uint8Array.from(hex.match(/../g), (b) => parseInt(b, 16));
}

/** Whether the signed text ("GTn.<claims>.<signature>") carries a valid signature by this key. */
export async function verifies(signed, publicKeyBase64, engine) {
  const last = signed.lastIndexOf('.');
  const encoded = signed.slice(last + 1);
  let signature;
  try {
    signature = base64UrlToBytes(encoded);
  } catch (e) {
    return false;
  }
  // Only the canonical encoding: another text for the same bytes is not the signed card.
  if (bytesToBase64Url(signature) !== encoded) return false;
  const message = new TextEncoder().encode(signed.slice(0, last));
  const spki = Uint8Array.from(atob(publicKeyBase64), (c) => c.charCodeAt(0));
  if (engine !== 'noble') {
    try {
      const key = await crypto.subtle.importKey('spki', spki, { name: 'Ed25519' }, false, ['verify']);
      return await crypto.subtle.verify('Ed25519', key, signature, message);
    } catch (e) {
      // No Ed25519 in this browser's WebCrypto: the library below.
    }
  }
  const prefix = Array.from(spki.slice(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
  if (prefix !== SPKI_ED25519 || spki.length !== 44) return false;
  if (!noble) noble = await import('./vendor/noble-ed25519.js');
  try {
    return await noble.verifyAsync(signature, message, spki.slice(12));
  } catch (e) {
    return false;
  }
}

/**
 * What an offline scanner decides, in the gate's order: signature by a key of the bundle's event
 * (FORGED), a static code where the organizer allows none (STATIC_CODE_REFUSED), revocation (REVOKED), for a rotating code its time code (FORGED, or EXPIRED_CODE more
 * than the tolerance from now), then use (ALREADY_USED if the bundle or this device saw it used).
 * A static code's final key cannot be checked offline (the bundle has no fingerprints): its
 * signature is.
 */
export async function decideOffline(text, bundle, usedHere, millis, engine) {
  const code = read(text);
  if (!code) return { outcome: 'REJECTED', reason: 'FORGED', detail: 'not a readable Guichet ticket code' };
  const key = bundle.signingKeys.find((k) => k.keyId === code.keyId);
  if (!key || code.eventId !== bundle.eventId) {
    return { outcome: 'REJECTED', reason: 'FORGED', detail: "not signed by this event's key" };
  }
  if (!(await verifies(code.signed, key.publicKey, engine))) {
    return { outcome: 'REJECTED', reason: 'FORGED', detail: 'the signature does not match' };
  }
  const ticketId = code.ticketId;
  if (!code.rotating && bundle.staticCodesAllowed === false) {
    return { outcome: 'REJECTED', reason: 'STATIC_CODE_REFUSED', detail: "the event's tickets show a rotating code only", ticketId };
  }
  if (bundle.revokedTickets.includes(ticketId)) {
    return { outcome: 'REJECTED', reason: 'REVOKED', detail: 'the ticket was revoked', ticketId };
  }
  if (code.rotating) {
    const codeKey = bundle.codeKeys[ticketId];
    if (!codeKey) {
      return { outcome: 'REJECTED', reason: 'OTHER', detail: 'this ticket is not in the bundle: sync, or scan online', ticketId };
    }
    const p = bundle.codeParameters;
    if ((await hotp(base64UrlToBytes(codeKey), code.step, p.digits)) !== code.code) {
      return { outcome: 'REJECTED', reason: 'FORGED', detail: "not the ticket's time code", ticketId };
    }
    const now = stepAt(millis, p.periodSeconds);
    if (code.step < now - p.toleranceSteps) {
      return { outcome: 'REJECTED', reason: 'EXPIRED_CODE', detail: 'the code is ' + (now - code.step) * p.periodSeconds + ' s old (a screenshot?)', ticketId };
    }
    if (code.step > now + p.toleranceSteps) {
      return { outcome: 'REJECTED', reason: 'EXPIRED_CODE', detail: "the code is for a later time: the phone's clock is ahead", ticketId };
    }
  }
  if (bundle.usedTickets.includes(ticketId) || usedHere.has(ticketId)) {
    return { outcome: 'REJECTED', reason: 'ALREADY_USED', detail: 'already used', ticketId };
  }
  return { outcome: 'ACCEPTED', reason: null, detail: null, ticketId };
}
