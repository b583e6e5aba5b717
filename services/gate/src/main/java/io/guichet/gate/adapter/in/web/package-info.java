/** The gate's in/web adapter. */
package io.guichet.gate.adapter.in.web;
