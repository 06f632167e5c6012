package dev.palisade.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.spdx.library.ListedLicenses;

/**
 * Declared licences as SPDX license expressions where they are valid ones: every identifier on the SPDX
 * License List (the copy inside the SPDX library's jar; nothing is fetched) or a {@code LicenseRef-},
 * joined by {@code AND}, {@code OR}, {@code WITH} and parentheses. Debian's DEP-5 short names
 * ({@code GPL-2+}, {@code Expat}...) and lower-case {@code and}/{@code or} are translated first. A
 * declared licence that is not an expression ({@code Apache License, Version 2.0}) stays a name.
 */
public final class LicenseExpressions {
    private static final int MAX_LENGTH = 500;

    /** DEP-5 short names (copyright-format 1.0, "License specification") that are not SPDX ids. */
    private static final Map<String, String> DEBIAN = Map.ofEntries(
            Map.entry("GPL-1", "GPL-1.0-only"),
            Map.entry("GPL-1+", "GPL-1.0-or-later"),
            Map.entry("GPL-2", "GPL-2.0-only"),
            Map.entry("GPL-2+", "GPL-2.0-or-later"),
            Map.entry("GPL-3", "GPL-3.0-only"),
            Map.entry("GPL-3+", "GPL-3.0-or-later"),
            Map.entry("LGPL-2", "LGPL-2.0-only"),
            Map.entry("LGPL-2+", "LGPL-2.0-or-later"),
            Map.entry("LGPL-2.1", "LGPL-2.1-only"),
            Map.entry("LGPL-2.1+", "LGPL-2.1-or-later"),
            Map.entry("LGPL-3", "LGPL-3.0-only"),
            Map.entry("LGPL-3+", "LGPL-3.0-or-later"),
            Map.entry("AGPL-3", "AGPL-3.0-only"),
            Map.entry("AGPL-3+", "AGPL-3.0-or-later"),
            Map.entry("GFDL-1.2", "GFDL-1.2-only"),
            Map.entry("GFDL-1.2+", "GFDL-1.2-or-later"),
            Map.entry("GFDL-1.3", "GFDL-1.3-only"),
            Map.entry("GFDL-1.3+", "GFDL-1.3-or-later"),
            Map.entry("Expat", "MIT"),
            Map.entry("BSD-2-clause", "BSD-2-Clause"),
            Map.entry("BSD-3-clause", "BSD-3-Clause"),
            Map.entry("BSD-4-clause", "BSD-4-Clause"),
            Map.entry("Apache-2", "Apache-2.0"),
            Map.entry("Artistic", "Artistic-1.0-Perl"),
            Map.entry("MPL-1.1", "MPL-1.1"),
            Map.entry("MPL-2", "MPL-2.0"),
            Map.entry("Zlib", "Zlib"),
            Map.entry("zlib", "Zlib"));

    private final ListedLicenses listed;
    private final Map<String, String> licenseIds = new HashMap<>();
    private final Map<String, String> exceptionIds = new HashMap<>();

    public LicenseExpressions() {
        this.listed = ListedLicenses.getListedLicenses();
        for (String id : listed.getSpdxListedLicenseIds()) {
            licenseIds.put(id.toLowerCase(Locale.ROOT), id);
        }
        for (String id : listed.getSpdxListedExceptionIds()) {
            exceptionIds.put(id.toLowerCase(Locale.ROOT), id);
        }
    }

    /** The SPDX License List version the identifiers are checked against. */
    public String listVersion() {
        return listed.getLicenseListVersion();
    }

    /** {@code declared} as a valid SPDX license expression, if it is one (after the translations above). */
    public Optional<String> expression(String declared) {
        String text = declared.strip();
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        List<String> tokens = tokens(text);
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean expectOperand = true;
        boolean afterWith = false;
        for (String token : tokens) {
            if (token.equals("(")) {
                if (!expectOperand) {
                    return Optional.empty();
                }
                depth++;
                out.add(token);
            } else if (token.equals(")")) {
                if (expectOperand || depth == 0) {
                    return Optional.empty();
                }
                depth--;
                out.add(token);
            } else if (isOperator(token)) {
                if (expectOperand) {
                    return Optional.empty();
                }
                String operator = token.toUpperCase(Locale.ROOT);
                afterWith = operator.equals("WITH");
                out.add(operator);
                expectOperand = true;
                continue;
            } else {
                if (!expectOperand) {
                    return Optional.empty();
                }
                Optional<String> id = afterWith ? exception(token) : license(token);
                if (id.isEmpty()) {
                    return Optional.empty();
                }
                out.add(id.get());
                afterWith = false;
                expectOperand = false;
                continue;
            }
            expectOperand = token.equals("(");
        }
        if (depth != 0 || expectOperand) {
            return Optional.empty();
        }
        return Optional.of(String.join(" ", out).replace("( ", "(").replace(" )", ")"));
    }

    /**
     * The declared licences as one SPDX expression: each valid, joined by {@code AND} (each parenthesised
     * when compound); empty if any is not a valid expression.
     */
    public Optional<String> combined(List<String> declared) {
        List<String> parts = new ArrayList<>();
        for (String d : declared) {
            Optional<String> e = expression(d);
            if (e.isEmpty()) {
                return Optional.empty();
            }
            if (!parts.contains(e.get())) {
                parts.add(e.get());
            }
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        if (parts.size() == 1) {
            return Optional.of(parts.get(0));
        }
        List<String> wrapped = new ArrayList<>();
        for (String p : parts) {
            wrapped.add(p.contains(" ") ? "(" + p + ")" : p);
        }
        return Optional.of(String.join(" AND ", wrapped));
    }

    /** The listed licence id a single identifier names, in the list's own case. */
    public Optional<String> license(String token) {
        String id = DEBIAN.getOrDefault(token, token);
        if (id.startsWith("LicenseRef-") && id.substring(11).matches("[A-Za-z0-9.\\-]+")) {
            return Optional.of(id);
        }
        String known = licenseIds.get(id.toLowerCase(Locale.ROOT));
        if (known != null) {
            return Optional.of(known);
        }
        if (id.endsWith("+")) {
            String base = licenseIds.get(id.substring(0, id.length() - 1).toLowerCase(Locale.ROOT));
            return Optional.ofNullable(base == null ? null : base + "+");
        }
        return Optional.empty();
    }

    private Optional<String> exception(String token) {
        return Optional.ofNullable(exceptionIds.get(token.toLowerCase(Locale.ROOT)));
    }

    private static boolean isOperator(String token) {
        return token.equals("AND")
                || token.equals("OR")
                || token.equals("WITH")
                || token.equals("and")
                || token.equals("or")
                || token.equals("with");
    }

    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(' || c == ')' || Character.isWhitespace(c) || c == ',') {
                if (current.length() > 0) {
                    tokens.add(current.toString());
                    current.setLength(0);
                }
                if (c == '(' || c == ')') {
                    tokens.add(String.valueOf(c));
                }
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            tokens.add(current.toString());
        }
        return tokens;
    }
}
