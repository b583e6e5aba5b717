/** One-time codes (RFC 4226, RFC 6238), shared by identity's second factor and tickets. */
package io.guichet.platform.otp;
