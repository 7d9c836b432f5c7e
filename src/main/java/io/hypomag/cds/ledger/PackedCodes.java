package io.hypomag.cds.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * A list of codes (rule ids, drug classes, suggestion uuids) in one text column: one code per line. Packing them
 * into the card's row is what makes recording a card one insert instead of twenty. A backslash escapes a newline
 * or a backslash inside a code, so any code survives; the service's own codes never need it. An empty list is
 * NULL, which keeps it apart from a list holding one empty code.
 */
final class PackedCodes {
    private PackedCodes() {
    }

    static String pack(List<String> codes) {
        if (codes.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder(codes.size() * 16);
        for (int i = 0; i < codes.size(); i++) {
            if (i > 0) {
                text.append('\n');
            }
            String code = codes.get(i);
            for (int c = 0; c < code.length(); c++) {
                char ch = code.charAt(c);
                switch (ch) {
                    case '\\' -> text.append("\\\\");
                    case '\n' -> text.append("\\n");
                    default -> text.append(ch);
                }
            }
        }
        return text.toString();
    }

    static List<String> unpack(String text) {
        if (text == null) {
            return List.of();
        }
        List<String> codes = new ArrayList<>();
        StringBuilder code = new StringBuilder();
        for (int c = 0; c < text.length(); c++) {
            char ch = text.charAt(c);
            if (ch == '\\' && c + 1 < text.length()) {
                char escaped = text.charAt(++c);
                code.append(escaped == 'n' ? '\n' : escaped);
            } else if (ch == '\n') {
                codes.add(code.toString());
                code.setLength(0);
            } else {
                code.append(ch);
            }
        }
        codes.add(code.toString());
        return List.copyOf(codes);
    }
}
