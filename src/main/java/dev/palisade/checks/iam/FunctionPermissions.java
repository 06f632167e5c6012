package dev.palisade.checks.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.Misconfiguration;
import dev.palisade.checks.Wildcard;
import dev.palisade.checks.iam.CodeTokens.Language;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileTree;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Learns a function's permissions from its code: the AWS calls of its Python, JavaScript and Java files,
 * their IAM actions and resources, compared with what the function's role grants in its template. Reports
 * grants the code never uses (PAL-6009), calls the role does not allow (PAL-6010) and calls that cannot be
 * resolved without running the code (PAL-6011), and builds the least-privilege policy the calls need.
 * The code is read, never run.
 */
public final class FunctionPermissions {
    /** Bounds on the code read: per file and in all, so that a hostile package costs little. */
    public record Limits(int maxFiles, long maxFileBytes, long maxTotalBytes, int maxTokensPerFile) {
        public static final Limits DEFAULT = new Limits(5_000, 1024 * 1024, 64L * 1024 * 1024, 200_000);
    }

    /** A template or serverless.yml, parsed. */
    public record Template(String path, JsonNode document, boolean serverlessFramework) {}

    /** What was learned. {@code suggestedPolicy} is an IAM policy document; resources are in Fn::Sub syntax. */
    public record Analysis(
            List<SdkCall> calls,
            List<SdkCall.Unresolved> unresolved,
            List<Misconfiguration> findings,
            List<Problem> problems,
            ObjectNode suggestedPolicy,
            List<String> policyNotes,
            int filesRead) {}

    private static final Set<String> SKIPPED_DIRECTORIES =
            Set.of("node_modules", ".git", "__pycache__", "site-packages", "dist-packages", ".aws-sam", "target");
    /** SDK and other libraries that a Python package vendors at its top level. */
    private static final Set<String> VENDORED = Set.of("boto3", "botocore", "s3transfer", "aioboto3", "aiobotocore");

    private final CheckCatalog catalog;
    private final AwsServiceModels models;
    private final Limits limits;

    public FunctionPermissions(CheckCatalog catalog, AwsServiceModels models, Limits limits) {
        this.catalog = catalog;
        this.models = models;
        this.limits = limits;
    }

    static @Nullable Language languageOf(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".py")) {
            return Language.PYTHON;
        }
        if (lower.endsWith(".js")
                || lower.endsWith(".mjs")
                || lower.endsWith(".cjs")
                || lower.endsWith(".ts")
                || lower.endsWith(".mts")) {
            return lower.endsWith(".d.ts") ? null : Language.JAVASCRIPT;
        }
        if (lower.endsWith(".java")) {
            return Language.JAVA;
        }
        return null;
    }

    private static boolean skipped(String path, Set<String> vendored) {
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (SKIPPED_DIRECTORIES.contains(parts[i]) || parts[i].endsWith(".dist-info")) {
                return true;
            }
        }
        return parts.length > 1 && vendored.contains(parts[0]);
    }

    /** The calls of the code in {@code code}, compared with the functions of {@code templates}. */
    public Analysis analyse(FileTree code, List<Template> templates) {
        List<SdkCall> calls = new ArrayList<>();
        List<SdkCall.Unresolved> unresolved = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Set<String> vendored = new HashSet<>(VENDORED);
        for (FileEntry entry : code.entries()) {
            if (entry.path().indexOf('/') > 0
                    && entry.path().substring(0, entry.path().indexOf('/')).endsWith(".dist-info")) {
                String dist = entry.path().substring(0, entry.path().indexOf('/'));
                vendored.add(dist.substring(0, Math.max(0, dist.indexOf('-'))).toLowerCase(Locale.ROOT));
            }
        }
        long total = 0;
        int files = 0;
        int notRead = 0;
        Set<String> codeFiles = new TreeSet<>();
        CompiledClasses compiled = new CompiledClasses(models, limits, calls, unresolved, problems);
        for (FileEntry entry : code.entries()) {
            if (entry.isRegularFile() && CompiledClasses.isCompiled(entry.path()) && !skipped(entry.path(), vendored)) {
                CompiledClasses.Used used = compiled.read(code, entry, files, total);
                files = used.files();
                total = used.bytes();
                notRead += used.notRead();
                continue;
            }
            Language language = languageOf(entry.path());
            if (!entry.isRegularFile() || language == null || skipped(entry.path(), vendored)) {
                continue;
            }
            codeFiles.add(entry.path());
            long size = entry.size();
            if (size > limits.maxFileBytes()) {
                problems.add(new Problem(
                        entry.path(),
                        null,
                        "not read for AWS calls: larger than " + limits.maxFileBytes()
                                + " bytes; its calls are unknown"));
                continue;
            }
            if (files >= limits.maxFiles() || total + size > limits.maxTotalBytes()) {
                notRead++;
                continue;
            }
            String text;
            try (InputStream in = code.open(entry)) {
                text = new String(
                        LimitedInputStream.readAll(in, limits.maxFileBytes(), entry.path()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                problems.add(new Problem(entry.path(), null, "not read for AWS calls: " + e.getMessage()));
                continue;
            }
            files++;
            total += text.length();
            CodeTokens.Result tokens = CodeTokens.tokenize(text, language, limits.maxTokensPerFile());
            if (tokens.truncated()) {
                problems.add(new Problem(
                        entry.path(),
                        null,
                        "read for AWS calls only up to " + limits.maxTokensPerFile()
                                + " tokens; calls after that are unknown"));
            }
            SdkCallScanner.Result found = SdkCallScanner.scan(models, entry.path(), language, tokens.tokens());
            calls.addAll(found.calls());
            unresolved.addAll(found.unresolved());
        }
        if (notRead > 0) {
            problems.add(new Problem(
                    "(function code)",
                    null,
                    notRead + " source or class files not read for AWS calls (limits: " + limits.maxFiles() + " files, "
                            + limits.maxTotalBytes() + " bytes): unused and missing permissions may be wrong"));
        }
        List<Misconfiguration> findings = new ArrayList<>();
        for (SdkCall.Unresolved u : unresolved) {
            findings.add(new Misconfiguration(
                    catalog.get("PAL-6011"),
                    u.file(),
                    u.line(),
                    "",
                    null,
                    (u.service().equals("?") ? "AWS" : u.service()) + ": " + u.what()
                            + "; the permission it needs is not known"));
        }
        List<ResolvedCall> resolved = new ArrayList<>();
        for (Template template : templates) {
            FunctionDefinitions definitions =
                    FunctionDefinitions.read(template.document(), template.serverlessFramework());
            for (FunctionDefinitions.Function function : functionsOf(definitions, codeFiles)) {
                List<ResolvedCall> ofFunction = new ArrayList<>();
                for (SdkCall call : calls) {
                    ofFunction.add(resolve(call, function, definitions));
                }
                resolved.addAll(ofFunction);
                compare(template.path(), function, ofFunction, unresolved, findings, problems);
            }
        }
        if (templates.isEmpty()) {
            for (SdkCall call : calls) {
                resolved.add(resolve(call, null, null));
            }
        }
        List<String> notes = new ArrayList<>();
        for (ResolvedCall c : resolved) {
            if (c.unresolvedBecause() != null) {
                notes.add(where(c.call().file(), c.call().line()) + " "
                        + c.call().operation() + ": Resource \"*\" because " + c.unresolvedBecause());
            }
        }
        for (SdkCall.Unresolved u : unresolved) {
            notes.add(where(u.file(), u.line()) + " not in the policy: " + u.what());
        }
        return new Analysis(
                calls,
                unresolved,
                findings,
                problems,
                policy(resolved),
                List.copyOf(new java.util.LinkedHashSet<>(notes)),
                files);
    }

    /** {@code file:line}, or the file alone for a call of a class compiled without line numbers. */
    private static String where(String file, int line) {
        return line > 0 ? file + ":" + line : file;
    }

    /** The functions whose handler is a file of this package; all of them when none can be told. */
    private static List<FunctionDefinitions.Function> functionsOf(
            FunctionDefinitions definitions, Set<String> codeFiles) {
        List<FunctionDefinitions.Function> all = definitions.functions();
        if (all.size() <= 1) {
            return all;
        }
        List<FunctionDefinitions.Function> matched = new ArrayList<>();
        for (FunctionDefinitions.Function f : all) {
            String handler = f.handler();
            int dot = handler.lastIndexOf('.');
            String module = dot > 0 ? handler.substring(0, dot) : handler;
            for (String file : codeFiles) {
                String withoutExtension = file.substring(0, file.lastIndexOf('.'));
                if (!module.isEmpty() && (withoutExtension.equals(module) || withoutExtension.endsWith("/" + module))) {
                    matched.add(f);
                    break;
                }
            }
        }
        return matched.isEmpty() ? all : matched;
    }

    /** A call with its resource ARN (Fn::Sub syntax) per action, or "*" when the resource is not known. */
    private record ResolvedCall(SdkCall call, String resource, @Nullable String unresolvedBecause) {}

    private ResolvedCall resolve(
            SdkCall call, FunctionDefinitions.@Nullable Function function, @Nullable FunctionDefinitions definitions) {
        AwsServiceModels.Service service = models.byIamPrefix(call.service()).orElseThrow();
        AwsServiceModels.ResourceKind kind = models.resourceKind(service);
        SdkCall.ResourceName name = call.resource();
        if (kind == null) {
            return new ResolvedCall(call, "*", "the service's resources are not modelled");
        }
        if (name == null) {
            return new ResolvedCall(call, "*", "the code does not name the resource in a way Palisade can read");
        }
        String literal = name.literal();
        if (name.environmentVariable() != null) {
            if (function == null || definitions == null) {
                return new ResolvedCall(
                        call, "*", "environment variable " + name.environmentVariable() + " without a template");
            }
            JsonNode value = function.environment().get(name.environmentVariable());
            if (value == null) {
                return new ResolvedCall(
                        call,
                        "*",
                        "environment variable " + name.environmentVariable() + " is not set in the template");
            }
            String reference = FunctionDefinitions.reference(value);
            boolean arnOf = value.isTextual() && value.asText().endsWith(".Arn") || value.has("Fn::GetAtt");
            if (definitions.resources().containsKey(reference)) {
                if (arnOf) {
                    return new ResolvedCall(call, "${" + reference + ".Arn}", null);
                }
                String refName =
                        switch (kind.refReturns()) {
                            case "url" -> "${" + reference + ".QueueName}";
                            default -> "${" + reference + "}";
                        };
                return new ResolvedCall(call, arn(kind, refName, "${" + reference + "}"), null);
            }
            if (value.has("Fn::Sub") && value.path("Fn::Sub").isTextual()) {
                literal = value.path("Fn::Sub").asText();
            } else if (value.isTextual() && !value.asText().contains("${")) {
                literal = value.asText();
            } else {
                return new ResolvedCall(
                        call,
                        "*",
                        "environment variable " + name.environmentVariable() + " is computed by the template");
            }
        }
        if (literal == null || literal.isEmpty()) {
            return new ResolvedCall(call, "*", "the code does not name the resource in a way Palisade can read");
        }
        if (literal.startsWith("arn:")) {
            return new ResolvedCall(call, literal, null);
        }
        return switch (kind.refReturns()) {
            case "url" ->
                new ResolvedCall(call, arn(kind, literal.substring(literal.lastIndexOf('/') + 1), literal), null);
            case "arn" -> new ResolvedCall(call, "*", "a name where an ARN is expected");
            default -> new ResolvedCall(call, arn(kind, literal, literal), null);
        };
    }

    private static String arn(AwsServiceModels.ResourceKind kind, String name, String value) {
        String n = kind.cloudFormationType().equals("AWS::SSM::Parameter") && name.startsWith("/")
                ? name.substring(1)
                : name;
        return kind.arnPattern().replace("{name}", n).replace("{value}", value);
    }

    /** S3 actions on the bucket itself take the bucket's ARN; on objects, the objects' ARN. */
    private static String resourceFor(String action, String resource) {
        if (action.equals("s3:ListAllMyBuckets")) {
            return "*";
        }
        if (action.startsWith("s3:") && resource.endsWith("/*")) {
            String name = action.substring(3);
            if (name.startsWith("ListBucket") || name.contains("Bucket")) {
                return resource.substring(0, resource.length() - 2);
            }
        }
        if (action.startsWith("s3:")
                && resource.endsWith(".Arn}")
                && !action.substring(3).contains("Bucket")) {
            return resource + "/*";
        }
        return resource;
    }

    private void compare(
            String templatePath,
            FunctionDefinitions.Function function,
            List<ResolvedCall> calls,
            List<SdkCall.Unresolved> unresolved,
            List<Misconfiguration> findings,
            List<Problem> problems) {
        Map<String, SdkCall> used = new TreeMap<>();
        for (ResolvedCall c : calls) {
            for (String action : c.call().actions()) {
                used.putIfAbsent(action, c.call());
            }
        }
        Set<String> unresolvedServices = new TreeSet<>();
        unresolved.forEach(u -> unresolvedServices.add(u.service()));
        for (FunctionDefinitions.Grant grant : function.grants()) {
            for (String pattern : grant.actions()) {
                Wildcard granted = Wildcard.ignoringCase(pattern);
                List<String> matching =
                        used.keySet().stream().filter(granted::matches).toList();
                String service = pattern.contains(":") ? pattern.substring(0, pattern.indexOf(':')) : "*";
                String caveat = unresolvedServices.contains(service)
                                || unresolvedServices.contains("?")
                                || service.equals("*") && !unresolvedServices.isEmpty()
                        ? " (some calls could not be resolved: see PAL-6011)"
                        : "";
                if (matching.isEmpty()) {
                    findings.add(finding(
                            "PAL-6009",
                            templatePath,
                            grant.keyPath(),
                            function.name() + ": " + pattern + " is granted but the code never calls it" + caveat));
                } else if (pattern.contains("*") || pattern.contains("?")) {
                    findings.add(finding(
                            "PAL-6009",
                            templatePath,
                            grant.keyPath(),
                            function.name() + ": " + pattern + " is granted but the code calls only "
                                    + String.join(", ", matching) + caveat));
                }
            }
        }
        if (!function.grantsKnown()) {
            problems.add(new Problem(
                    templatePath,
                    null,
                    function.name() + ": missing permissions not judged, the role is not fully in the template ("
                            + String.join("; ", function.notRead()) + ")"));
            return;
        }
        for (Map.Entry<String, SdkCall> e : used.entrySet()) {
            boolean granted = function.grants().stream()
                    .flatMap(g -> g.actions().stream())
                    .anyMatch(p -> Wildcard.ignoringCase(p).matches(e.getKey()));
            if (!granted) {
                SdkCall at = e.getValue();
                findings.add(new Misconfiguration(
                        catalog.get("PAL-6010"),
                        at.file(),
                        at.line(),
                        function.keyPath(),
                        null,
                        function.name() + ": the code calls " + at.operation() + " (" + e.getKey()
                                + ") but the role does not allow " + e.getKey()));
            }
        }
    }

    private Misconfiguration finding(String id, String path, String keyPath, String message) {
        return new Misconfiguration(catalog.get(id), path, 0, keyPath, null, message);
    }

    /** One statement per service and resource set, actions and resources sorted. */
    private static ObjectNode policy(List<ResolvedCall> calls) {
        Map<String, Set<String>> resourcesByAction = new TreeMap<>();
        for (ResolvedCall c : calls) {
            for (String action : c.call().actions()) {
                resourcesByAction.computeIfAbsent(action, a -> new TreeSet<>()).add(resourceFor(action, c.resource()));
            }
        }
        Map<String, Set<String>> actionsByStatement = new LinkedHashMap<>();
        Map<String, Set<String>> resourcesByStatement = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> e : resourcesByAction.entrySet()) {
            Set<String> resources = e.getValue().contains("*") ? Set.of("*") : e.getValue();
            String service = e.getKey().substring(0, e.getKey().indexOf(':'));
            String key = service + "|" + String.join(",", resources);
            actionsByStatement.computeIfAbsent(key, k -> new TreeSet<>()).add(e.getKey());
            resourcesByStatement.put(key, resources);
        }
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode policy = json.objectNode();
        policy.put("Version", "2012-10-17");
        ArrayNode statements = policy.putArray("Statement");
        Map<String, Integer> sids = new TreeMap<>();
        for (Map.Entry<String, Set<String>> e : actionsByStatement.entrySet()) {
            String service = e.getKey().substring(0, e.getKey().indexOf('|'));
            int n = sids.merge(service, 1, Integer::sum);
            ObjectNode statement = statements.addObject();
            statement.put("Sid", sid(service) + (n > 1 ? String.valueOf(n) : ""));
            statement.put("Effect", "Allow");
            ArrayNode actions = statement.putArray("Action");
            e.getValue().forEach(actions::add);
            ArrayNode resources = statement.putArray("Resource");
            new TreeSet<>(resourcesByStatement.get(e.getKey())).forEach(resources::add);
        }
        return policy;
    }

    private static String sid(String service) {
        StringBuilder sid = new StringBuilder();
        for (String part : service.split("[^A-Za-z0-9]")) {
            if (!part.isEmpty()) {
                sid.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sid.toString();
    }
}
