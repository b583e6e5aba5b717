/** Payment's in/web adapter. */
package io.guichet.payment.adapter.in.web;
