/** Emails: what they tell of, to whom, and their French and English texts. */
package io.guichet.notification.domain;
