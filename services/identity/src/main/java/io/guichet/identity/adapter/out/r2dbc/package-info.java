/** identity's tables on PostgreSQL (R2DBC); secrets are sealed before they are stored. */
package io.guichet.identity.adapter.out.r2dbc;
