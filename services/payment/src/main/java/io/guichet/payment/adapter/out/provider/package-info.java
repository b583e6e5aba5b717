/** Payment's out/provider adapter. */
package io.guichet.payment.adapter.out.provider;
