package dev.palisade.checks.iam;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An AWS API call found in a function's code.
 *
 * @param file the file, as a path inside the package
 * @param line 1-based
 * @param service the IAM prefix of the service ({@code s3})
 * @param operation the model's operation name ({@code ListObjectsV2})
 * @param actions the IAM actions the operation needs ({@code s3:ListBucket})
 * @param resource how the code names the resource the call acts on, or null when it cannot be told
 */
public record SdkCall(
        String file,
        int line,
        String service,
        String operation,
        List<String> actions,
        @Nullable ResourceName resource) {
    public SdkCall {
        Objects.requireNonNull(file, "file");
        actions = List.copyOf(actions);
    }

    /**
     * A resource name as the code gives it: a constant, or an environment variable to be looked up in the
     * function's definition.
     */
    public record ResourceName(@Nullable String literal, @Nullable String environmentVariable) {}

    /**
     * A call that the code makes to an AWS client but whose operation cannot be told without running it:
     * a method name computed at run time, a command object built elsewhere, a waiter.
     */
    public record Unresolved(String file, int line, String service, String what) {}
}
