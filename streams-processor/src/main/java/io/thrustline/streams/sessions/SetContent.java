package io.thrustline.streams.sessions;

import io.thrustline.schemas.RepDetail;
import io.thrustline.schemas.SetLogged;

/**
 * A 32-bit fingerprint of everything a set says, computed field by field with a fixed mix (never an object's
 * hashCode, which a library release may change), so a retry is told from a different copy without keeping the
 * copy. Two different copies share a fingerprint with odds of 1 in 4 billion; then the later one is dropped as a
 * retry instead of dead-lettered, and the first copy stands either way.
 */
final class SetContent {

    private SetContent() {}

    static int fingerprint(SetLogged set) {
        long h = 0xcbf29ce484222325L;
        h = mix(h, set.getSessionId());
        h = mix(h, set.getPerformedAt().toEpochMilli());
        h = mix(h, set.getExercise());
        h = mix(h, set.getSide() == null ? -1 : set.getSide().ordinal());
        h = mix(h, set.getReps());
        h = mix(h, Double.doubleToLongBits(set.getLoadKg()));
        h = mix(h, set.getControlledReps() == null ? Long.MIN_VALUE : set.getControlledReps());
        if (set.getRepDetails() == null) {
            h = mix(h, -1);
        } else {
            h = mix(h, set.getRepDetails().size());
            for (RepDetail rep : set.getRepDetails()) {
                h = mix(h, rep.getEccentricSeconds() == null ? Long.MIN_VALUE : Double.doubleToLongBits(rep.getEccentricSeconds()));
                h = mix(h, rep.getTopHoldSeconds() == null ? Long.MIN_VALUE : Double.doubleToLongBits(rep.getTopHoldSeconds()));
                h = mix(h, rep.getPelvisLevel() == null ? -1 : rep.getPelvisLevel() ? 1 : 0);
            }
        }
        h = mix(h, set.getRpe() == null ? Long.MIN_VALUE : Double.doubleToLongBits(set.getRpe()));
        h = mix(h, set.getNotes());
        h = mix(h, set.getSetType().ordinal());
        return (int) (h ^ (h >>> 32));
    }

    private static long mix(long h, long value) {
        h ^= value;
        h *= 0x100000001b3L;
        return h ^ (h >>> 29);
    }

    private static long mix(long h, String value) {
        if (value == null) {
            return mix(h, Long.MIN_VALUE + 1);
        }
        h = mix(h, value.length());
        for (int i = 0; i < value.length(); i++) {
            h = mix(h, value.charAt(i));
        }
        return h;
    }
}
