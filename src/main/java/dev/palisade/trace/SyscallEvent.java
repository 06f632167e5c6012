package dev.palisade.trace;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One system call as strace printed it (an unfinished call joined with its resumption).
 *
 * @param personality the process's personality when it made the call
 * @param arguments the raw top-level arguments (empty when strace did not print them)
 * @param returnValue the returned token ({@code 0}, {@code -1}, {@code ?}, {@code 0x7f...}), or null
 * @param errno the error name when the call failed ({@code ENOENT}), or null
 * @param returnedAnnotation what {@code -yy} printed about a returned fd ({@code TCP:[...]}), or null
 */
record SyscallEvent(
        int pid,
        Personality personality,
        String name,
        List<String> arguments,
        @Nullable String returnValue,
        @Nullable String errno,
        @Nullable String returnedAnnotation) {

    String argument(int index) {
        return index < arguments.size() ? arguments.get(index) : "";
    }

    boolean failed() {
        return errno != null || "-1".equals(returnValue);
    }

    /** A process personality: which system call table its calls went through. */
    enum Personality {
        NATIVE,
        COMPAT32,
        X32
    }
}
