package dev.palisade.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.iam.AwsServiceModels;
import dev.palisade.checks.iam.FunctionPermissions;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * A function's code, read for the AWS calls it makes (least privilege): compiled classes by the class-file
 * reader, JavaScript and Python by the tokenizer. The analysis reports problems, never throws.
 */
@Timeout(10)
class FunctionCodeFuzzTest {
    private final FunctionPermissions permissions =
            new FunctionPermissions(CheckCatalog.load(), AwsServiceModels.load(), FunctionPermissions.Limits.DEFAULT);

    @FuzzTest
    void classFile(byte[] input) {
        permissions.analyse(new MemoryTree().file("example/Handler.class", input, 0644), List.of());
    }

    /**
     * The words the scanner compares tokens with. Token texts are compared char by char (see {@code CodeTokens}),
     * which Jazzer does not learn from as it learns from {@code String.equals}, so they are given here.
     */
    @FuzzTest
    @DictionaryEntries({
        "new",
        "await",
        "async",
        "yield",
        "from",
        "as",
        "type",
        "import",
        "def",
        "function",
        "return",
        "const",
        "let",
        "var",
        "getattr",
        "process",
        "require",
        "boto3",
        "client",
        "resource",
        "aws-sdk",
        "@aws-sdk/client-",
        "=>",
        "..."
    })
    void sourceCode(byte[] input) {
        permissions.analyse(new MemoryTree().file("index.mjs", input, 0644).file("app.py", input, 0644), List.of());
    }
}
