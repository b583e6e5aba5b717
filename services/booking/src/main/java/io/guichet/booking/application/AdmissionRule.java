package io.guichet.booking.application;

import java.util.Optional;

/**
 * Whether a buyer may reserve for an event now: a waiting room that is on wants the pass it issued.
 * Checked at the front door before anything is published.
 */
public interface AdmissionRule {

  /** Every request may go on: no waiting room. */
  AdmissionRule NONE =
      new AdmissionRule() {
        @Override
        public boolean ready() {
          return true;
        }

        @Override
        public Optional<String> refusal(String eventId, String customerId, String pass) {
          return Optional.empty();
        }
      };

  /** Whether it knows which events are guarded yet. */
  boolean ready();

  /**
   * Why this buyer may not reserve for this event, if they may not.
   *
   * @param pass the admission pass presented, or null
   */
  Optional<String> refusal(String eventId, String customerId, String pass);
}
