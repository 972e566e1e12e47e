package org.symphonet.simulator.event;

import org.symphonet.overlay.topology.Admission;

/** The responder's verdict on attempt {@code attempt} reaches the initiator {@code to}. */
public record LinkAnswerArrival(int to, int from, Admission.Verdict verdict, long attempt) implements Event {
}
