package io.thrustline.streams.rules;

public enum Severity {
    INFO,
    WARNING,
    ALERT
}
