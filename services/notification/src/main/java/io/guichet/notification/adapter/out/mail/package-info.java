/** SMTP, through Spring Mail. */
package io.guichet.notification.adapter.out.mail;
