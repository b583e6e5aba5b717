/** The seat allocator's rules: stock, limits, holds, expiry and confirmation, in plain Java. */
package io.guichet.booking.domain;
