package dev.palisade.checks;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redacts the credentials inside a piece of text that a finding quotes (a command line, a URL), each
 * with {@link Secrets#redact}: passwords in URLs, {@code -u user:password}, options and variables named
 * like a secret, authorization headers, and values that look like a token whatever their name.
 */
final class SecretRedaction {
    /** Only this much of a text is redacted and quoted: a finding quotes a line, not a file. */
    static final int MAX_CHARS = 2000;

    private static final String VALUE = "(\"[^\"]*\"|'[^']*'|[^\\s\"';&|]+)";
    private static final Pattern URL_USERINFO =
            Pattern.compile("(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*://)([^/\\s:@\"']*)(?::([^/\\s\"']*))?@");
    private static final Pattern USER_OPTION =
            Pattern.compile("(?<![^\\s\"'])(-u|--user|--proxy-user|--http-user)(=|\\s+)" + VALUE);
    private static final Pattern OPTION = Pattern.compile("(?<![^\\s\"'])(--?[A-Za-z][A-Za-z0-9_-]*)(=|\\s+)" + VALUE);
    private static final Pattern ASSIGNMENT = Pattern.compile("(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)=" + VALUE);
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)(?<![A-Za-z0-9-])((?:proxy-)?authorization\\s*:\\s*(?:(?:bearer|basic|token|digest|bot)\\s+)?)([^\\s\"']+)");
    private static final Pattern HEADER =
            Pattern.compile("(?<![A-Za-z0-9-])([A-Za-z][A-Za-z0-9-]*)\\s*:\\s*([^\\s\"']+)");
    private static final Pattern TOKEN = Pattern.compile("[^\\s\"'=:@,;()<>|&]+");

    private SecretRedaction() {}

    /** The text, cut to {@link #MAX_CHARS}, with every credential it recognises redacted. */
    static String redact(String text) {
        String s = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
        s = replace(URL_USERINFO, s, m -> {
            String user = m.group(2);
            if (m.group(3) != null) {
                return m.group(1) + user + ":" + hide(m.group(3)) + "@";
            }
            return m.group(1) + (Secrets.looksLikeSecretValue(user) || user.length() >= 20 ? hide(user) : user) + "@";
        });
        s = replace(USER_OPTION, s, m -> {
            String value = unquoted(m.group(3));
            int colon = value.indexOf(':');
            if (colon < 0 || value.startsWith("$", colon + 1) || Secrets.isRedacted(value.substring(colon + 1))) {
                return m.group();
            }
            return m.group(1) + m.group(2) + value.substring(0, colon + 1) + hide(value.substring(colon + 1));
        });
        s = replace(OPTION, s, m -> {
            String name = m.group(1).replaceFirst("^-+", "").replace('-', '_');
            return Secrets.isSecret(name, unquoted(m.group(3)))
                    ? m.group(1) + m.group(2) + hide(unquoted(m.group(3)))
                    : m.group();
        });
        s = replace(
                ASSIGNMENT,
                s,
                m -> Secrets.isSecret(m.group(1), unquoted(m.group(2)))
                        ? m.group(1) + "=" + hide(unquoted(m.group(2)))
                        : m.group());
        s = replace(AUTHORIZATION, s, m -> m.group(1) + hide(m.group(2)));
        s = replace(
                HEADER,
                s,
                m -> Secrets.isSecret(m.group(1).replace('-', '_'), m.group(2))
                        ? m.group(1) + ": " + hide(m.group(2))
                        : m.group());
        return replace(TOKEN, s, m -> Secrets.looksLikeSecretValue(m.group()) ? hide(m.group()) : m.group());
    }

    private static String hide(String value) {
        return Secrets.isRedacted(value) ? value : Secrets.redact(value);
    }

    private static String unquoted(String value) {
        if (value.length() >= 2
                && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static String replace(Pattern pattern, String text, Function<Matcher, String> replacement) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(m)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
