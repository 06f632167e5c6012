package dev.palisade.trace;

import dev.palisade.trace.SyscallEvent.Personality;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns the lines of {@code strace -f -yy} into {@link SyscallEvent}s. The traced program chooses the
 * strings strace prints, so a line is read with {@link StraceText}'s quoting rules; a line that does not
 * have strace's shape is counted and skipped. Calls interrupted by another process's line ({@code
 * <unfinished ...>}) are held per process, up to {@code maxPendingProcesses}, and joined with their
 * {@code <... resumed>} part.
 */
final class StraceLineParser {
    private static final Pattern PID_PREFIX = Pattern.compile("^(?:\\[pid\\s+(\\d{1,10})\\]|(\\d{1,10}))\\s+");
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,63}");
    private static final Pattern PERSONALITY =
            Pattern.compile("^\\[ Process PID=(\\d{1,10}) runs in (64 bit|32 bit|x32) mode\\. \\]$");
    private static final Pattern RESUMED = Pattern.compile("^<\\.\\.\\. ([a-z_][a-z0-9_]{0,63}) resumed>");
    private static final String UNFINISHED = "<unfinished ...>";
    private static final Pattern ERRNO = Pattern.compile("E[A-Z0-9]{1,30}");

    private final int maxPendingProcesses;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final Map<Integer, Personality> personalities = new HashMap<>();
    private long malformedLines;
    private long droppedUnfinished;
    private boolean sawPersonalityChange;

    StraceLineParser(int maxPendingProcesses) {
        this.maxPendingProcesses = maxPendingProcesses;
    }

    private record Pending(String name, String text) {}

    /** The call this line completes, or null (a signal, an exit, an unfinished call, noise). */
    @Nullable
    SyscallEvent accept(String line) {
        String rest = line.strip();
        int pid = 0;
        Matcher prefix = PID_PREFIX.matcher(rest);
        if (prefix.find()) {
            String digits = prefix.group(1) != null ? prefix.group(1) : prefix.group(2);
            pid = parsePid(digits);
            rest = rest.substring(prefix.end());
        }
        if (rest.isEmpty() || rest.startsWith("---") || rest.startsWith("+++") || rest.startsWith("strace: ")) {
            return null;
        }
        Matcher personality = PERSONALITY.matcher(rest);
        if (personality.matches()) {
            recordPersonality(parsePid(personality.group(1)), personality.group(2));
            return null;
        }
        Matcher resumed = RESUMED.matcher(rest);
        if (resumed.find()) {
            String name = resumed.group(1);
            Pending held = pending.remove(pid);
            String after = rest.substring(resumed.end());
            if (held != null && held.name().equals(name)) {
                return call(pid, name, held.text() + after);
            }
            // the start was lost (attached mid-call, or dropped): the name is still evidence
            return call(pid, name, after.startsWith(")") ? after : ", " + after);
        }
        int open = rest.indexOf('(');
        if (open <= 0 || !NAME.matcher(rest.substring(0, open)).matches()) {
            malformedLines++;
            return null;
        }
        String name = rest.substring(0, open);
        String argumentText = rest.substring(open + 1);
        if (argumentText.endsWith(UNFINISHED)) {
            String start = argumentText.substring(0, argumentText.length() - UNFINISHED.length());
            if (pending.size() >= maxPendingProcesses && !pending.containsKey(pid)) {
                droppedUnfinished++;
                return call(pid, name, start);
            }
            Pending previous = pending.put(pid, new Pending(name, start));
            return previous == null ? null : call(pid, previous.name(), previous.text());
        }
        return call(pid, name, argumentText);
    }

    /** Calls whose resumption never came (the process was killed, or the trace ended). */
    List<SyscallEvent> drain() {
        List<SyscallEvent> events = new ArrayList<>();
        pending.forEach((pid, held) -> events.add(call(pid, held.name(), held.text())));
        pending.clear();
        return events;
    }

    long malformedLines() {
        return malformedLines;
    }

    long droppedUnfinished() {
        return droppedUnfinished;
    }

    boolean sawPersonalityChange() {
        return sawPersonalityChange;
    }

    private SyscallEvent call(int pid, String name, String argumentText) {
        StraceText.Arguments arguments = StraceText.arguments(argumentText, 0);
        String returnValue = null;
        String errno = null;
        String annotation = null;
        if (arguments.end() >= 0) {
            String result = argumentText.substring(arguments.end() + 1).strip();
            if (result.startsWith("=")) {
                result = result.substring(1).strip();
                int tokenEnd = 0;
                while (tokenEnd < result.length()
                        && result.charAt(tokenEnd) != ' '
                        && !StraceText.opensAnnotation(result, tokenEnd)) {
                    tokenEnd++;
                }
                returnValue = result.substring(0, tokenEnd);
                String after = result.substring(tokenEnd);
                if (after.startsWith("<")) {
                    int end = StraceText.skipAnnotation(after, 0);
                    if (after.charAt(end - 1) == '>') {
                        annotation = StraceText.unescape(after.substring(1, end - 1));
                    }
                } else {
                    String word = after.strip();
                    int space = word.indexOf(' ');
                    String first = space < 0 ? word : word.substring(0, space);
                    if (ERRNO.matcher(first).matches()) {
                        errno = first;
                    }
                }
            }
        }
        return new SyscallEvent(
                pid,
                personalities.getOrDefault(pid, Personality.NATIVE),
                name,
                arguments.values(),
                returnValue,
                errno,
                annotation);
    }

    private void recordPersonality(int pid, String mode) {
        Personality personality =
                switch (mode) {
                    case "32 bit" -> Personality.COMPAT32;
                    case "x32" -> Personality.X32;
                    default -> Personality.NATIVE;
                };
        sawPersonalityChange = true;
        if (personalities.size() < maxPendingProcesses || personalities.containsKey(pid)) {
            personalities.put(pid, personality);
        }
    }

    private static int parsePid(String digits) {
        long value = Long.parseLong(digits);
        return value > Integer.MAX_VALUE ? 0 : (int) value;
    }
}
