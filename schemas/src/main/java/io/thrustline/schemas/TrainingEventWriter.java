package io.thrustline.schemas;

import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;

/**
 * Writes a {@link TrainingEvent} as Avro binary of its compiled schema, field by field. Avro's own writer walks the
 * schema for every record (the events carry timestamps, so Avro generates no custom coder for them) and was 21 % of
 * a batch request's CPU in a profile of {@code ./thrustline bench ingest}. The bytes are Avro's own: a property test
 * holds them equal to {@code SpecificDatumWriter}'s for any event, and fails on any change to the schemas until this
 * class follows it ({@link #FIELDS} lists what it writes).
 */
final class TrainingEventWriter implements DatumWriter<TrainingEvent> {

    /** The fields written, record by record and in order: the schemas must list exactly these. */
    static final List<String> FIELDS = List.of(
            "TrainingEvent: eventId athleteId source receivedAt payload",
            "SetLogged: sessionId performedAt exercise side reps loadKg controlledReps repDetails rpe notes setType",
            "SessionCompleted: sessionId completedAt",
            "RepDetail: eccentricSeconds topHoldSeconds pelvisLevel");

    @Override
    public void setSchema(Schema schema) {
        if (!schema.equals(TrainingEvent.getClassSchema())) {
            throw new IllegalArgumentException("writes only the compiled TrainingEvent schema");
        }
    }

    @Override
    public void write(TrainingEvent event, Encoder out) throws IOException {
        out.writeString(event.getEventId());
        out.writeString(event.getAthleteId());
        writeNullable(event.getSource(), out);
        out.writeLong(event.getReceivedAt().toEpochMilli());
        switch (event.getPayload()) {
            case SetLogged set -> {
                out.writeIndex(0);
                write(set, out);
            }
            case SessionCompleted completed -> {
                out.writeIndex(1);
                out.writeString(completed.getSessionId());
                out.writeLong(completed.getCompletedAt().toEpochMilli());
            }
            default -> throw new IllegalArgumentException("payload of event " + event.getEventId() + " is neither a set nor a completion");
        }
    }

    private static void write(SetLogged set, Encoder out) throws IOException {
        out.writeString(set.getSessionId());
        out.writeLong(set.getPerformedAt().toEpochMilli());
        out.writeString(set.getExercise());
        if (set.getSide() == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            out.writeEnum(set.getSide().ordinal());
        }
        out.writeInt(set.getReps());
        out.writeDouble(set.getLoadKg());
        if (set.getControlledReps() == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            out.writeInt(set.getControlledReps());
        }
        List<RepDetail> reps = set.getRepDetails();
        if (reps == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            out.writeArrayStart();
            out.setItemCount(reps.size());
            for (RepDetail rep : reps) {
                out.startItem();
                writeNullable(rep.getEccentricSeconds(), out);
                writeNullable(rep.getTopHoldSeconds(), out);
                if (rep.getPelvisLevel() == null) {
                    out.writeIndex(0);
                } else {
                    out.writeIndex(1);
                    out.writeBoolean(rep.getPelvisLevel());
                }
            }
            out.writeArrayEnd();
        }
        writeNullable(set.getRpe(), out);
        writeNullable(set.getNotes(), out);
        out.writeEnum(set.getSetType().ordinal());
    }

    private static void writeNullable(String value, Encoder out) throws IOException {
        if (value == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            out.writeString(value);
        }
    }

    private static void writeNullable(Double value, Encoder out) throws IOException {
        if (value == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            out.writeDouble(value);
        }
    }
}
