package io.thrustline.schemas;

/** Lets tests in other packages make the refusal a start-up check would throw. */
public final class KafkaPreflightAccess {
    private KafkaPreflightAccess() {}

    public static KafkaPreflight.Refused refused(String message) {
        return new KafkaPreflight.Refused(message, null);
    }
}
