/** The HTTP API: paged views, server-sent events and rebuilds. */
package io.guichet.query.adapter.in.web;
