package dev.palisade.checks.iam;

import dev.palisade.checks.iam.AwsServiceModels.Service;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileTree;
import dev.palisade.source.LimitExceededException;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The AWS SDK for Java v2 calls of a package's compiled classes: its {@code .class} files and those of the
 * jars it carries ({@code lib/app.jar!/example/Handler.class}), one level deep. The SDK's own classes
 * ({@code software/amazon/awssdk/**}) are skipped, so that its internal calls do not count. Calls made by
 * reflection are not visible in the bytecode.
 */
final class CompiledClasses {
    private static final String SDK_PACKAGE = "software/amazon/awssdk/";
    private static final Pattern CLIENT =
            Pattern.compile("software/amazon/awssdk/services/[a-z0-9]+/([A-Za-z0-9]+?)(Async)?Client");
    private static final Set<String> OBJECT_METHODS =
            Set.of("toString", "equals", "hashCode", "getClass", "notify", "notifyAll", "wait");
    /** Entries of one jar looked at, read or not: bounds the work of a jar of many tiny entries. */
    private static final int MAX_JAR_ENTRIES = 100_000;

    /** The counts of files and bytes read in all, after a package entry; {@code notRead} files left for the limits. */
    record Used(int files, long bytes, int notRead) {}

    private final AwsServiceModels models;
    private final FunctionPermissions.Limits limits;
    private final List<SdkCall> calls;
    private final List<SdkCall.Unresolved> unresolved;
    private final List<Problem> problems;

    CompiledClasses(
            AwsServiceModels models,
            FunctionPermissions.Limits limits,
            List<SdkCall> calls,
            List<SdkCall.Unresolved> unresolved,
            List<Problem> problems) {
        this.models = models;
        this.limits = limits;
        this.calls = calls;
        this.unresolved = unresolved;
        this.problems = problems;
    }

    static boolean isCompiled(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".class") || lower.endsWith(".jar");
    }

    /** Reads a class file or a jar of the package, counting what it reads against the limits. */
    Used read(FileTree code, FileEntry entry, int files, long bytes) {
        String path = entry.path();
        if (path.startsWith(SDK_PACKAGE)) {
            return new Used(files, bytes, 0); // an SDK shaded into the package
        }
        Used used = new Used(files, bytes, 0);
        try (InputStream in = code.open(entry)) {
            if (path.toLowerCase(Locale.ROOT).endsWith(".class")) {
                return readClass(path, in, entry.size(), used);
            }
            return readJar(path, in, used);
        } catch (IOException e) {
            problems.add(new Problem(path, null, "not read for AWS calls: " + e.getMessage()));
            return used;
        } catch (IllegalArgumentException e) {
            // the JDK's zip reader throws this, and only this, for an entry name that is not valid UTF-8
            problems.add(new Problem(path, null, "not read for AWS calls: an entry name is not valid UTF-8"));
            return used;
        }
    }

    private Used readJar(String jarPath, InputStream in, Used start) throws IOException {
        Used used = start;
        ZipInputStream zip = new ZipInputStream(in);
        int entries = 0;
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
            if (++entries > MAX_JAR_ENTRIES) {
                problems.add(new Problem(
                        jarPath,
                        null,
                        "read for AWS calls only up to " + MAX_JAR_ENTRIES
                                + " entries; the classes after that are unknown"));
                break;
            }
            String name = entry.getName();
            String path = jarPath + "!/" + name;
            if (entry.isDirectory() || name.startsWith(SDK_PACKAGE)) {
                continue;
            }
            if (name.toLowerCase(Locale.ROOT).endsWith(".jar")) {
                problems.add(new Problem(path, null, "a jar inside a jar: not read for AWS calls"));
                continue;
            }
            if (name.toLowerCase(Locale.ROOT).endsWith(".class")) {
                used = readClass(path, zip, entry.getSize(), used);
            }
        }
        return used;
    }

    private Used readClass(String path, InputStream in, long size, Used used) throws IOException {
        if (size > limits.maxFileBytes()) {
            problems.add(new Problem(
                    path,
                    null,
                    "not read for AWS calls: larger than " + limits.maxFileBytes() + " bytes; its calls are unknown"));
            return used;
        }
        if (used.files() >= limits.maxFiles() || used.bytes() + Math.max(size, 0) > limits.maxTotalBytes()) {
            return new Used(used.files(), used.bytes(), used.notRead() + 1);
        }
        byte[] bytes;
        try {
            bytes = LimitedInputStream.readAll(in, limits.maxFileBytes(), path);
        } catch (LimitExceededException e) {
            problems.add(new Problem(path, null, "not read for AWS calls: " + e.getMessage()));
            return used;
        }
        Used after = new Used(used.files() + 1, used.bytes() + bytes.length, used.notRead());
        ClassFileCalls.Result result;
        try {
            result = ClassFileCalls.read(bytes);
        } catch (ClassFileCalls.BadClassFileException e) {
            problems.add(new Problem(
                    path, null, "not a readable class file (" + e.getMessage() + "); its AWS calls are unknown"));
            return after;
        }
        boolean withoutLine = false;
        for (ClassFileCalls.Invocation invocation : result.invocations()) {
            Matcher client = CLIENT.matcher(invocation.owner());
            if (!client.matches()) {
                continue;
            }
            Optional<Service> service = models.byJavaClient(client.group(1) + "Client");
            if (service.isEmpty()) {
                continue;
            }
            withoutLine |= invocation.line() == 0;
            record(path, invocation.line(), service.get(), invocation.method());
        }
        if (withoutLine) {
            problems.add(new Problem(
                    path, null, "compiled without line numbers: its AWS calls are reported without a line"));
        }
        return after;
    }

    /** As the source scanner reads a Java client's method (see {@link SdkCallScanner}). */
    private void record(String path, int line, Service service, String name) {
        if (OBJECT_METHODS.contains(name)) {
            return;
        }
        if (SdkCallScanner.JAVA_CLIENT_HELPERS.contains(name)) {
            if (name.equals("waiter")) {
                unresolved.add(new SdkCall.Unresolved(
                        path, line, service.iamPrefix(), "a waiter (its polling calls are not listed)"));
            }
            return;
        }
        String method = name.endsWith("Paginator") ? name.substring(0, name.length() - "Paginator".length()) : name;
        Optional<String> operation = models.operationForCamel(service, method);
        if (operation.isEmpty()) {
            unresolved.add(new SdkCall.Unresolved(
                    path,
                    line,
                    service.iamPrefix(),
                    "method " + name + " is not an operation of " + service.serviceId()));
            return;
        }
        calls.add(new SdkCall(
                path, line, service.iamPrefix(), operation.get(), models.actions(service, operation.get()), null));
    }
}
