package io.thrustline.streams.state;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Reads what a {@link StateWriter} wrote, in the same order. */
public final class StateReader {

    private final byte[] bytes;
    private int at;

    private StateReader(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Opens a value of a store whose layout is at {@code version}. A value in another layout means state written
     * by another release: it is refused loudly rather than misread (README, Upgrading).
     */
    public static StateReader of(byte[] bytes, int version, String store) {
        var reader = new StateReader(bytes);
        int found = reader.readInt();
        if (found != version) {
            throw new IllegalStateException("state store '" + store + "' holds a value in layout " + found + ", but this release reads layout "
                    + version + "; reset the application's state (README, Upgrading)");
        }
        return reader;
    }

    public int readByte() {
        return bytes[at++] & 0xFF;
    }

    public int readInt() {
        return Math.toIntExact(readLong());
    }

    public long readLong() {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = bytes[at++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }

    public long readSignedLong() {
        long raw = readLong();
        return (raw >>> 1) ^ -(raw & 1);
    }

    public Integer readOptionalInt() {
        long raw = readLong();
        return raw == 0 ? null : Math.toIntExact(raw - 1);
    }

    public int readFixedInt() {
        int value = ((bytes[at] & 0xFF) << 24) | ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
        at += 4;
        return value;
    }

    public double readDouble() {
        long high = readFixedInt() & 0xFFFFFFFFL;
        long low = readFixedInt() & 0xFFFFFFFFL;
        return Double.longBitsToDouble((high << 32) | low);
    }

    public double readKg() {
        return readDecimal(1000);
    }

    public double readDecimal(int scale) {
        long raw = readLong();
        return raw == 1 ? readDouble() : (double) (raw >>> 1) / scale;
    }

    public long readTime(long base) {
        long raw = readLong();
        long zigzagged = raw >>> 1;
        long delta = (zigzagged >>> 1) ^ -(zigzagged & 1);
        return base + ((raw & 1) == 0 ? delta * 1000 : delta);
    }

    public int readFixedShort() {
        int value = ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
        at += 2;
        return value;
    }

    public String readString() {
        int length = readInt();
        String value = new String(bytes, at, length, StandardCharsets.UTF_8);
        at += length;
        return value;
    }

    public String readOptionalString() {
        return readByte() == 0 ? null : readString();
    }

    public String readId() {
        if (readByte() == 0) {
            return readString();
        }
        long high = ((long) readFixedInt() << 32) | (readFixedInt() & 0xFFFFFFFFL);
        long low = ((long) readFixedInt() << 32) | (readFixedInt() & 0xFFFFFFFFL);
        return new UUID(high, low).toString();
    }

    public int position() {
        return at;
    }

    /** The bytes read from {@code from} up to here, as written. */
    public byte[] rawSince(int from) {
        return java.util.Arrays.copyOfRange(bytes, from, at);
    }

    public boolean atEnd() {
        return at == bytes.length;
    }
}
