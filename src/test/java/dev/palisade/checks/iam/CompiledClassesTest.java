package dev.palisade.checks.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.checks.CheckCatalog;
import dev.palisade.source.Problem;
import dev.palisade.testing.CompiledJavaFunction;
import dev.palisade.testing.Trees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java function as deployed: compiled classes, at the package root or in {@code lib/*.jar}. A real handler is
 * compiled in the test against stubs of the SDK for Java v2 clients (same packages, classes and method names).
 */
class CompiledClassesTest {
    private static final AwsServiceModels MODELS = AwsServiceModels.load();
    private static final CheckCatalog CATALOG = CheckCatalog.load();

    @TempDir
    Path tmp;

    private static FunctionPermissions.Analysis analyse(Path dir) throws Exception {
        return new FunctionPermissions(CATALOG, MODELS, FunctionPermissions.Limits.DEFAULT)
                .analyse(Trees.of(dir), List.of());
    }

    private static List<String> calls(FunctionPermissions.Analysis analysis) {
        return analysis.calls().stream()
                .map(c -> c.file() + ":" + c.line() + " " + c.operation() + " " + String.join(",", c.actions()))
                .sorted()
                .toList();
    }

    @Test
    void compiledHandlerAtThePackageRootHasItsCallsAndLinesAndTheSdkJarIsSkipped() throws Exception {
        Path classes = CompiledJavaFunction.compileHandler(tmp);
        Path function = Files.createDirectories(tmp.resolve("function"));
        Files.createDirectories(function.resolve("example"));
        try (Stream<Path> handler = Files.list(classes.resolve("example"))) {
            for (Path p : handler.toList()) {
                Files.copy(p, function.resolve("example").resolve(p.getFileName()));
            }
        }
        CompiledJavaFunction.jar(classes, "software", function.resolve("lib/s3-2.25.0.jar"));

        FunctionPermissions.Analysis analysis = analyse(function);

        assertThat(calls(analysis))
                .containsExactly(
                        "example/Handler.class:14 GetObject s3:GetObject",
                        "example/Handler.class:15 ListObjectsV2 s3:ListBucket",
                        "example/Handler.class:18 DeleteObject s3:DeleteObject",
                        "example/Handler.class:19 PutItem dynamodb:PutItem",
                        "example/Handler.class:21 SendMessage sqs:SendMessage");
        assertThat(analysis.unresolved()).isEmpty();
        assertThat(analysis.problems()).isEmpty();
        assertThat(analysis.calls()).allSatisfy(c -> assertThat(c.resource()).isNull());
    }

    @Test
    void handlerInANestedJarIsNamedInsideItAndWithoutLineNumbersHasNoLine() throws Exception {
        Path classes = CompiledJavaFunction.compileHandler(tmp, "-g:none");
        Path function = Files.createDirectories(tmp.resolve("function"));
        CompiledJavaFunction.jar(classes, "example", function.resolve("lib/app.jar"));

        FunctionPermissions.Analysis analysis = analyse(function);

        assertThat(calls(analysis))
                .containsExactly(
                        "lib/app.jar!/example/Handler.class:0 DeleteObject s3:DeleteObject",
                        "lib/app.jar!/example/Handler.class:0 GetObject s3:GetObject",
                        "lib/app.jar!/example/Handler.class:0 ListObjectsV2 s3:ListBucket",
                        "lib/app.jar!/example/Handler.class:0 PutItem dynamodb:PutItem",
                        "lib/app.jar!/example/Handler.class:0 SendMessage sqs:SendMessage");
        assertThat(analysis.problems())
                .containsExactly(new Problem(
                        "lib/app.jar!/example/Handler.class",
                        null,
                        "compiled without line numbers: its AWS calls are reported without a line"));
        assertThat(analysis.policyNotes())
                .contains("lib/app.jar!/example/Handler.class GetObject: Resource \"*\" because the code does not"
                        + " name the resource in a way Palisade can read");
    }

    @Test
    void aClientMethodThatIsNoOperationIsUnresolved() throws Exception {
        Path sources = Files.createDirectories(tmp.resolve("other"));
        Path classes = CompiledJavaFunction.compileHandler(tmp);
        String caller =
                """
                package example;
                public class Other {
                    Object call(software.amazon.awssdk.services.sqs.SqsAsyncClient sqs) {
                        return sqs.notAnOperation();
                    }
                }
                """;
        Path file = Files.writeString(
                Files.createDirectories(sources.resolve("example")).resolve("Other.java"), caller);
        int exit = ToolProvider.getSystemJavaCompiler()
                .run(
                        null,
                        null,
                        null,
                        "--release",
                        "17",
                        "-cp",
                        classes.toString(),
                        "-d",
                        classes.toString(),
                        file.toString());
        assertThat(exit).isZero();
        Path function = Files.createDirectories(tmp.resolve("function/example"));
        Files.copy(classes.resolve("example/Other.class"), function.resolve("Other.class"));

        FunctionPermissions.Analysis analysis = analyse(function.getParent());

        assertThat(analysis.calls()).isEmpty();
        assertThat(analysis.unresolved())
                .containsExactly(new SdkCall.Unresolved(
                        "example/Other.class", 4, "sqs", "method notAnOperation is not an operation of SQS"));
    }

    @Test
    void hostileClassFilesAreProblemsNotCrashes() throws Exception {
        byte[] real =
                Files.readAllBytes(CompiledJavaFunction.compileHandler(tmp).resolve("example/Handler.class"));
        Path function = Files.createDirectories(tmp.resolve("function"));
        Files.write(function.resolve("Truncated.class"), java.util.Arrays.copyOf(real, real.length / 2));
        byte[] hugePool = real.clone();
        hugePool[8] = (byte) 0xFF; // constant pool count 65535 in a file of a few kilobytes
        hugePool[9] = (byte) 0xFF;
        Files.write(function.resolve("HugePool.class"), hugePool);
        byte[] badTag = real.clone();
        badTag[10] = 99; // the first constant's tag
        Files.write(function.resolve("BadTag.class"), badTag);
        Files.write(function.resolve("NotAClass.class"), "hello".getBytes(StandardCharsets.UTF_8));

        FunctionPermissions.Analysis analysis = analyse(function);

        assertThat(analysis.calls()).isEmpty();
        assertThat(analysis.problems())
                .extracting(Problem::path, Problem::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "BadTag.class",
                                "not a readable class file (unknown constant pool tag 99 at entry 1); its AWS calls are unknown"),
                        org.assertj.core.groups.Tuple.tuple(
                                "HugePool.class",
                                "not a readable class file (constant pool count 65535 does not fit in the file); its AWS calls are unknown"),
                        org.assertj.core.groups.Tuple.tuple(
                                "NotAClass.class",
                                "not a readable class file (not a class file (no CAFEBABE magic)); its AWS calls are unknown"),
                        org.assertj.core.groups.Tuple.tuple(
                                "Truncated.class",
                                "not a readable class file (truncated at byte " + truncatedAt(real)
                                        + "); its AWS calls are unknown"));
    }

    private static String truncatedAt(byte[] real) {
        try {
            ClassFileCalls.read(java.util.Arrays.copyOf(real, real.length / 2));
            return "never";
        } catch (ClassFileCalls.BadClassFileException e) {
            return e.getMessage().replace("truncated at byte ", "");
        }
    }

    @Test
    void everyCorruptionOfARealClassFileIsRejectedOrRead() throws Exception {
        byte[] real =
                Files.readAllBytes(CompiledJavaFunction.compileHandler(tmp).resolve("example/Handler.class"));
        assertThat(ClassFileCalls.read(real).invocations()).isNotEmpty();
        Random random = new Random(20261130);
        for (int round = 0; round < 5_000; round++) {
            byte[] mutated = real.clone();
            for (int n = 1 + random.nextInt(4); n > 0; n--) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                mutated = java.util.Arrays.copyOf(mutated, random.nextInt(mutated.length));
            }
            try {
                ClassFileCalls.read(mutated);
            } catch (ClassFileCalls.BadClassFileException expected) {
                // the only way a class file may fail
            }
        }
        assertThatThrownBy(() -> ClassFileCalls.read(new byte[0]))
                .isInstanceOf(ClassFileCalls.BadClassFileException.class);
    }

    @Test
    void aJarWithAnUndecodableEntryNameOrAJarInsideIsAProblemNotACrash() throws Exception {
        Path classes = CompiledJavaFunction.compileHandler(tmp);
        Path function = Files.createDirectories(tmp.resolve("function/lib"));
        byte[] handler = Files.readAllBytes(classes.resolve("example/Handler.class"));
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(
                Files.newOutputStream(function.resolve("latin1.jar")), StandardCharsets.ISO_8859_1)) {
            out.putNextEntry(new java.util.zip.ZipEntry("example/Handler.class"));
            out.write(handler);
            out.closeEntry();
            out.putNextEntry(new java.util.zip.ZipEntry("caf\u00e9/Other.class")); // 0xE9 alone: not UTF-8
            out.write(handler);
            out.closeEntry();
        }
        try (java.util.zip.ZipOutputStream out =
                new java.util.zip.ZipOutputStream(Files.newOutputStream(function.resolve("outer.jar")))) {
            out.putNextEntry(new java.util.zip.ZipEntry("lib/inner.jar"));
            out.write(Files.readAllBytes(function.resolve("latin1.jar")));
            out.closeEntry();
        }

        FunctionPermissions.Analysis analysis = analyse(function.getParent());

        assertThat(analysis.calls())
                .extracting(SdkCall::file)
                .containsOnly("lib/latin1.jar!/example/Handler.class")
                .hasSize(5);
        assertThat(analysis.problems())
                .containsExactlyInAnyOrder(
                        new Problem("lib/latin1.jar", null, "not read for AWS calls: an entry name is not valid UTF-8"),
                        new Problem(
                                "lib/outer.jar!/lib/inner.jar", null, "a jar inside a jar: not read for AWS calls"));
    }
}
