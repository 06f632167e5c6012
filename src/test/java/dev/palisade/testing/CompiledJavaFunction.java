package dev.palisade.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A Java Lambda handler compiled in the test, against stubs of the AWS SDK for Java v2 clients (same packages,
 * classes and method names; the SDK itself is not on the test class path).
 */
public final class CompiledJavaFunction {
    private CompiledJavaFunction() {}

    /** The SDK stubs. S3Client's default method calls headObject: counted only if the SDK's own classes were read. */
    public static final Map<String, String> SDK_STUBS = Map.of(
            "software/amazon/awssdk/services/s3/S3Client.java",
            """
            package software.amazon.awssdk.services.s3;
            public interface S3Client extends AutoCloseable {
                static S3Client create() { return null; }
                Object getObject(String key);
                Object headObject(String key);
                Object deleteObject(String key);
                Iterable<Object> listObjectsV2Paginator(String bucket);
                default Object exists(String key) { return headObject(key); }
                void close();
            }
            """,
            "software/amazon/awssdk/services/dynamodb/DynamoDbClient.java",
            """
            package software.amazon.awssdk.services.dynamodb;
            public interface DynamoDbClient {
                static DynamoDbClient create() { return null; }
                Object putItem(java.util.function.Consumer<Object> request);
            }
            """,
            "software/amazon/awssdk/services/sqs/SqsAsyncClient.java",
            """
            package software.amazon.awssdk.services.sqs;
            public interface SqsAsyncClient {
                static SqsAsyncClient create() { return null; }
                java.util.concurrent.CompletableFuture<Object> sendMessage(String body);
                Object notAnOperation();
            }
            """);

    // line numbers below are asserted: keep the handler's lines where they are
    public static final String HANDLER =
            """
            package example;

            import java.util.List;
            import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
            import software.amazon.awssdk.services.s3.S3Client;
            import software.amazon.awssdk.services.sqs.SqsAsyncClient;

            public class Handler {
                private final S3Client s3 = S3Client.create();
                private final DynamoDbClient dynamo = DynamoDbClient.create();
                private final SqsAsyncClient sqs = SqsAsyncClient.create();

                public String handleRequest(List<String> keys) {
                    s3.getObject("report.csv");
                    for (Object o : s3.listObjectsV2Paginator("reports")) {
                        System.out.println(o);
                    }
                    keys.forEach(s3::deleteObject);
                    Runnable later = () -> dynamo.putItem(r -> {});
                    later.run();
                    sqs.sendMessage("done").join();
                    s3.close();
                    return s3.toString();
                }
            }
            """;

    /** Compiles the handler and the SDK stubs; the class files under the returned directory. */
    public static Path compileHandler(Path tmp, String... options) throws IOException {
        Path sources = Files.createDirectories(tmp.resolve("src"));
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> stub : SDK_STUBS.entrySet()) {
            files.add(write(sources.resolve(stub.getKey()), stub.getValue()));
        }
        files.add(write(sources.resolve("example/Handler.java"), HANDLER));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("the tests need a JDK (javax.tools compiler)").isNotNull();
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "-d", classes.toString()));
        arguments.addAll(List.of(options));
        files.forEach(f -> arguments.add(f.toString()));
        int exit = javac.run(null, null, null, arguments.toArray(String[]::new));
        assertThat(exit).as("javac exit").isZero();
        return classes;
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    /** A jar (zip) of the class files under {@code classes/prefix}, named as in the class tree. */
    public static void jar(Path classes, String prefix, Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar);
                ZipOutputStream out = new ZipOutputStream(file);
                Stream<Path> walk = Files.walk(classes.resolve(prefix))) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(classes.relativize(p).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(p));
                out.closeEntry();
            }
        }
    }
}
