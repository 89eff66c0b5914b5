package io.thrustline.streams.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * Writes a state store value in the compact form the processors' records use: variable-length integers,
 * kilograms as whole grams where they are whole, and event ids that are UUIDs as 16 bytes. Avro's generic
 * encoding of the old state values was a quarter of the stream thread's time and 14 KB per athlete (README,
 * Performance); what is written here is only what the rules read back.
 */
public final class StateWriter {

    private byte[] bytes = new byte[128];
    private int size;

    /** Starts a value of a store whose layout is at {@code version}; the reader refuses any other version. */
    public static StateWriter of(int version) {
        var writer = new StateWriter();
        writer.writeInt(version);
        return writer;
    }

    /** Appends bytes another writer produced. */
    public StateWriter writeRaw(byte[] raw) {
        room(raw.length);
        System.arraycopy(raw, 0, bytes, size, raw.length);
        size += raw.length;
        return this;
    }

    /** A writer for a part of a value (no layout version), to be appended with {@link #writeRaw}. */
    public static StateWriter part() {
        return new StateWriter();
    }

    public byte[] toBytes() {
        return Arrays.copyOf(bytes, size);
    }

    private void room(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    public StateWriter writeByte(int b) {
        room(1);
        bytes[size++] = (byte) b;
        return this;
    }

    /** A non-negative int in 1-5 bytes. */
    public StateWriter writeInt(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative: " + value);
        }
        return writeLong(value);
    }

    /** A non-negative long in 1-10 bytes, seven bits at a time. */
    public StateWriter writeLong(long value) {
        room(10);
        while ((value & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
        return this;
    }

    /** Any long, small magnitudes short (zigzag): for differences between times. */
    public StateWriter writeSignedLong(long value) {
        return writeLong(zigzag(value));
    }

    /** An int that may be null, as value + 1 with 0 for null. */
    public StateWriter writeOptionalInt(Integer value) {
        return writeLong(value == null ? 0 : value.longValue() + 1);
    }

    public StateWriter writeFixedInt(int value) {
        room(4);
        bytes[size++] = (byte) (value >>> 24);
        bytes[size++] = (byte) (value >>> 16);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
        return this;
    }

    public StateWriter writeDouble(double value) {
        long bits = Double.doubleToRawLongBits(value);
        writeFixedInt((int) (bits >>> 32));
        return writeFixedInt((int) bits);
    }

    /** Kilograms: whole grams (almost every load) as a short integer, anything else as the exact double. */
    public StateWriter writeKg(double kg) {
        return writeDecimal(kg, 1000);
    }

    /**
     * A non-negative number that is usually a whole count of {@code 1/scale} (grams of a kilogram, tenths of a percent)
     * as that short integer; anything else as the exact double. Reads back bit for bit.
     */
    public StateWriter writeDecimal(double value, int scale) {
        long units = Math.round(value * scale);
        if (units >= 0 && units < (1L << 40) && (double) units / scale == value) {
            return writeLong(units << 1);
        }
        writeLong(1);
        return writeDouble(value);
    }

    /**
     * A time as the difference from {@code base}: whole seconds (what devices log) in a byte or three, any other
     * difference in milliseconds.
     */
    public StateWriter writeTime(long millis, long base) {
        long delta = millis - base;
        if (delta % 1000 == 0) {
            return writeLong(zigzag(delta / 1000) << 1);
        }
        return writeLong((zigzag(delta) << 1) | 1);
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    public StateWriter writeFixedShort(int value) {
        room(2);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
        return this;
    }

    public StateWriter writeString(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        writeInt(utf8.length);
        room(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
        return this;
    }

    public StateWriter writeOptionalString(String value) {
        if (value == null) {
            return writeByte(0);
        }
        writeByte(1);
        return writeString(value);
    }

    /** An event id: a canonical lowercase UUID (what most gyms send) in 17 bytes instead of 37, anything else as text. */
    public StateWriter writeId(String id) {
        if (isCanonicalUuid(id)) {
            UUID uuid = UUID.fromString(id);
            writeByte(1);
            writeFixedInt((int) (uuid.getMostSignificantBits() >>> 32));
            writeFixedInt((int) uuid.getMostSignificantBits());
            writeFixedInt((int) (uuid.getLeastSignificantBits() >>> 32));
            return writeFixedInt((int) uuid.getLeastSignificantBits());
        }
        writeByte(0);
        return writeString(id);
    }

    static boolean isCanonicalUuid(String id) {
        if (id.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
