package io.raftkv.verify.report;

import java.util.Locale;

/** Escaping and number formatting for the report's HTML and SVG. */
final class Html {

    private Html() {
    }

    /**
     * Escapes text for the body of an HTML or SVG element (not for attributes: the report puts
     * no text from the run into attributes). Quotes are left alone, so that values like
     * {@code W r3 "p2-17"} stay readable in the file itself.
     *
     * @param text any text, null shown as empty
     * @return the escaped text
     */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    /**
     * A coordinate with at most one decimal, to keep the SVG small.
     *
     * @param value the number
     * @return e.g. {@code 12.5}
     */
    static String number(double value) {
        long tenths = Math.round(value * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
    }
}
