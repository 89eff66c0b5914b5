package io.thrustline.ingest;

/** What text a set may carry: nothing PostgreSQL, a CSV reader or a terminal would choke on. */
final class TextRules {

    /** Longest piece of a client's input repeated back in an error message. */
    static final int ECHO_LIMIT = 64;

    private TextRules() {}

    /**
     * Whether {@code text} holds a control character other than the allowed tab and line feed (NUL, which
     * PostgreSQL can never store, among them), a lone surrogate, or a Unicode non-character.
     */
    static boolean hasForbiddenCharacter(String text, boolean tabAndLineFeedAllowed) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                if (!(tabAndLineFeedAllowed && (c == '\t' || c == '\n'))) {
                    return true;
                }
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                return true;
            }
        }
        return false;
    }

    /** {@code text} as it may appear in an error message: cut, and with control characters made visible. */
    static String echo(String text) {
        String cut = text.length() > ECHO_LIMIT ? text.substring(0, ECHO_LIMIT) + "…" : text;
        var out = new StringBuilder(cut.length());
        cut.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
