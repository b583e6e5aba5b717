/**
 * The gateway: the one entry point in front of every service. It routes by path, counts requests
 * per client address and per account (429 with Retry-After past the limits, tighter on the login
 * paths), answers CORS and adds security headers. It decides nothing about access: each service
 * checks the access token itself.
 */
package io.guichet.gateway;
