/** identity's HTTP API: accounts, log in, refresh, log out, MFA, administration. */
package io.guichet.identity.adapter.in.web;
