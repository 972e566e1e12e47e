package org.symphonet.overlay.signal;

/** What {@link SignalCodec#decode} made of a body: a valid message, or why it is not one. */
public sealed interface DecodeResult {

    /** A body that passed every check. */
    record Valid(SignalBody body) implements DecodeResult {
    }

    /** A body to drop; {@code error} names the field and the problem, fit for one log line. */
    record Invalid(String error) implements DecodeResult {
    }
}
