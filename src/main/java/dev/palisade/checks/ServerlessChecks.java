package dev.palisade.checks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks on serverless function definitions: AWS SAM and CloudFormation templates (YAML with the
 * {@code !Ref}/{@code !Sub}/{@code !GetAtt} short forms, or JSON) and Serverless Framework
 * {@code serverless.yml}: IAM wildcards, admin and full-access managed policies, shared roles,
 * deprecated runtimes, secrets in environment variables, unauthenticated function URLs and routes,
 * resource policies open to everyone.
 */
public final class ServerlessChecks {
    private static final Pattern ADMIN_POLICY =
            Pattern.compile("(?i).*(AdministratorAccess|PowerUserAccess|FullAccess)\\b.*");

    private final CheckCatalog catalog;
    private final Map<String, LocalDate> deprecatedRuntimes;
    private final LocalDate today;

    public ServerlessChecks(CheckCatalog catalog, LocalDate today) {
        this.catalog = catalog;
        this.today = today;
        this.deprecatedRuntimes = loadRuntimes();
    }

    public static boolean isCloudFormation(JsonNode document) {
        return document.isObject()
                && (document.has("AWSTemplateFormatVersion")
                        || document.path("Transform").asText("").startsWith("AWS::Serverless")
                        || document.path("Resources").isObject()
                                && document.path("Resources").elements().hasNext()
                                && document.path("Resources")
                                        .elements()
                                        .next()
                                        .path("Type")
                                        .asText("")
                                        .startsWith("AWS::"));
    }

    public static boolean isServerlessFramework(String fileName, JsonNode document) {
        return fileName.toLowerCase(Locale.ROOT).matches("serverless\\.ya?ml")
                && document.has("service")
                && document.has("provider");
    }

    public List<Misconfiguration> evaluate(String path, JsonNode document, boolean serverlessFramework) {
        List<Misconfiguration> found = new ArrayList<>();
        if (serverlessFramework) {
            serverlessYml(path, document, found);
        } else {
            template(path, document, found);
        }
        return found;
    }

    private void template(String path, JsonNode document, List<Misconfiguration> found) {
        JsonNode globals = document.path("Globals").path("Function");
        Map<String, List<String>> roles = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> resources =
                document.path("Resources").fields();
        while (resources.hasNext()) {
            Map.Entry<String, JsonNode> e = resources.next();
            String name = e.getKey();
            String type = e.getValue().path("Type").asText("");
            JsonNode p = e.getValue().path("Properties");
            String at = "Resources." + name + ".Properties";
            switch (type) {
                case "AWS::Serverless::Function", "AWS::Lambda::Function" -> {
                    String runtime =
                            p.path("Runtime").asText(globals.path("Runtime").asText(""));
                    runtime(path, name, runtime, at + ".Runtime", found);
                    JsonNode variables = p.path("Environment").path("Variables");
                    environment(path, name, variables, at + ".Environment.Variables", found);
                    environment(
                            path,
                            name,
                            globals.path("Environment").path("Variables"),
                            "Globals.Function.Environment.Variables",
                            found);
                    String role = roleName(p.path("Role"));
                    if (!role.isEmpty()) {
                        roles.computeIfAbsent(role, r -> new ArrayList<>()).add(name);
                    }
                    JsonNode policies = p.path("Policies");
                    for (JsonNode policy : policies.isArray() ? policies : List.of(policies)) {
                        if (policy.isTextual()
                                && ADMIN_POLICY.matcher(policy.asText()).matches()) {
                            add(found, "PAL-6003", path, at + ".Policies", name + ": policy " + policy.asText());
                        } else if (policy.isObject() && policy.has("Statement")) {
                            statements(path, name, policy.path("Statement"), at + ".Policies", found);
                        }
                    }
                    if (p.path("FunctionUrlConfig").path("AuthType").asText("").equals("NONE")) {
                        add(
                                found,
                                "PAL-6007",
                                path,
                                at + ".FunctionUrlConfig.AuthType",
                                name + ": function URL with AuthType NONE");
                    }
                    Iterator<Map.Entry<String, JsonNode>> events =
                            p.path("Events").fields();
                    while (events.hasNext()) {
                        Map.Entry<String, JsonNode> event = events.next();
                        String eventType = event.getValue().path("Type").asText("");
                        JsonNode auth = event.getValue().path("Properties").path("Auth");
                        boolean apiHasAuth = document.path("Globals")
                                .path("Api")
                                .path("Auth")
                                .path("DefaultAuthorizer")
                                .isTextual();
                        if ((eventType.equals("Api") || eventType.equals("HttpApi"))
                                && !apiHasAuth
                                && (auth.isMissingNode()
                                        || auth.path("Authorizer").asText("").equals("NONE"))) {
                            add(
                                    found,
                                    "PAL-6007",
                                    path,
                                    at + ".Events." + event.getKey(),
                                    name + ": " + eventType + " route "
                                            + event.getValue()
                                                    .path("Properties")
                                                    .path("Method")
                                                    .asText("") + " "
                                            + event.getValue()
                                                    .path("Properties")
                                                    .path("Path")
                                                    .asText("") + " has no authorizer");
                        }
                    }
                }
                case "AWS::IAM::Role" -> {
                    for (JsonNode arn : p.path("ManagedPolicyArns")) {
                        String text = arn.isTextual() ? arn.asText() : arn.toString();
                        if (ADMIN_POLICY.matcher(text).matches()) {
                            add(found, "PAL-6003", path, at + ".ManagedPolicyArns", name + ": managed policy " + text);
                        }
                    }
                    for (JsonNode policy : p.path("Policies")) {
                        statements(
                                path, name, policy.path("PolicyDocument").path("Statement"), at + ".Policies", found);
                    }
                }
                case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy" ->
                    statements(path, name, p.path("PolicyDocument").path("Statement"), at + ".PolicyDocument", found);
                case "AWS::Lambda::Url" -> {
                    if (p.path("AuthType").asText("").equals("NONE")) {
                        add(found, "PAL-6007", path, at + ".AuthType", name + ": function URL with AuthType NONE");
                    }
                }
                case "AWS::Lambda::Permission" -> {
                    if (p.path("Principal").asText("").equals("*") && !p.has("SourceArn") && !p.has("SourceAccount")) {
                        add(
                                found,
                                "PAL-6008",
                                path,
                                at + ".Principal",
                                name + ": Principal * without SourceArn or SourceAccount");
                    }
                }
                case "AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy" -> {
                    for (JsonNode statement : p.path("PolicyDocument").path("Statement")) {
                        JsonNode principal = statement.path("Principal");
                        boolean everyone = principal.asText("").equals("*")
                                || principal.path("AWS").asText("").equals("*");
                        if (statement.path("Effect").asText("").equals("Allow")
                                && everyone
                                && !statement.has("Condition")) {
                            add(
                                    found,
                                    "PAL-6008",
                                    path,
                                    at + ".PolicyDocument",
                                    name + ": Principal * without a condition");
                        }
                    }
                }
                default -> {}
            }
        }
        roles.forEach((role, functions) -> {
            if (functions.size() > 1) {
                add(
                        found,
                        "PAL-6004",
                        path,
                        "Resources",
                        "role " + role + " is shared by " + String.join(", ", functions));
            }
        });
    }

    private void serverlessYml(String path, JsonNode document, List<Misconfiguration> found) {
        JsonNode provider = document.path("provider");
        runtime(path, "provider", provider.path("runtime").asText(""), "provider.runtime", found);
        environment(path, "provider", provider.path("environment"), "provider.environment", found);
        JsonNode statements = provider.path("iam").path("role").path("statements");
        if (statements.isMissingNode()) {
            statements = provider.path("iamRoleStatements");
        }
        statements(path, "provider", statements, "provider.iam.role.statements", found);
        for (JsonNode arn : provider.path("iam").path("role").path("managedPolicies")) {
            if (ADMIN_POLICY.matcher(arn.asText(arn.toString())).matches()) {
                add(
                        found,
                        "PAL-6003",
                        path,
                        "provider.iam.role.managedPolicies",
                        "provider: managed policy " + arn.asText(arn.toString()));
            }
        }
        Iterator<Map.Entry<String, JsonNode>> functions =
                document.path("functions").fields();
        while (functions.hasNext()) {
            Map.Entry<String, JsonNode> f = functions.next();
            String at = "functions." + f.getKey();
            runtime(path, f.getKey(), f.getValue().path("runtime").asText(""), at + ".runtime", found);
            environment(path, f.getKey(), f.getValue().path("environment"), at + ".environment", found);
            if (f.getValue().path("url").isBoolean() && f.getValue().path("url").asBoolean()
                    || f.getValue().path("url").isObject()
                            && !f.getValue()
                                    .path("url")
                                    .path("authorizer")
                                    .asText("")
                                    .equals("aws_iam")) {
                add(found, "PAL-6007", path, at + ".url", f.getKey() + ": function URL without IAM authorization");
            }
            for (JsonNode event : f.getValue().path("events")) {
                JsonNode http = event.has("http") ? event.path("http") : event.path("httpApi");
                if (!http.isMissingNode()
                        && !http.has("authorizer")
                        && !http.path("private").asBoolean(false)) {
                    add(
                            found,
                            "PAL-6007",
                            path,
                            at + ".events",
                            f.getKey() + ": " + (event.has("http") ? "http" : "httpApi")
                                    + " event "
                                    + (http.isTextual()
                                            ? http.asText()
                                            : http.path("method").asText("") + " "
                                                    + http.path("path").asText(""))
                                    + " has no authorizer");
                }
            }
        }
    }

    private void statements(String path, String owner, JsonNode statements, String at, List<Misconfiguration> found) {
        for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
            if (!statement
                    .path("Effect")
                    .asText(statement.path("effect").asText("Allow"))
                    .equalsIgnoreCase("Allow")) {
                continue;
            }
            List<String> actions = texts(statement.has("Action") ? statement.path("Action") : statement.path("action"));
            List<String> resources =
                    texts(statement.has("Resource") ? statement.path("Resource") : statement.path("resource"));
            List<String> wildcards = actions.stream()
                    .filter(a -> a.equals("*") || a.endsWith(":*"))
                    .toList();
            if (!wildcards.isEmpty()) {
                add(found, "PAL-6001", path, at, owner + ": Allow " + String.join(", ", wildcards));
            }
            if (resources.contains("*")) {
                add(found, "PAL-6002", path, at, owner + ": Allow " + String.join(", ", actions) + " on Resource *");
            }
        }
    }

    private void runtime(String path, String owner, String runtime, String at, List<Misconfiguration> found) {
        LocalDate deprecated = deprecatedRuntimes.get(runtime);
        if (deprecated != null && !deprecated.isAfter(today)) {
            add(
                    found,
                    "PAL-6005",
                    path,
                    at,
                    owner + ": runtime " + runtime + " reached end of support on " + deprecated);
        }
    }

    private void environment(String path, String owner, JsonNode variables, String at, List<Misconfiguration> found) {
        Iterator<Map.Entry<String, JsonNode>> it = variables.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> v = it.next();
            if (v.getValue().isTextual()
                    && Secrets.isSecret(v.getKey(), v.getValue().asText())) {
                add(
                        found,
                        "PAL-6006",
                        path,
                        at + "." + v.getKey(),
                        owner + ": " + v.getKey() + "="
                                + Secrets.redact(v.getValue().asText()));
            }
        }
    }

    private static String roleName(JsonNode role) {
        if (role.isTextual()) {
            return role.asText().replaceFirst("\\.Arn$", "");
        }
        if (role.has("Fn::GetAtt")) {
            JsonNode getAtt = role.path("Fn::GetAtt");
            return getAtt.isArray() ? getAtt.path(0).asText() : getAtt.asText().replaceFirst("\\.Arn$", "");
        }
        return role.path("Ref").asText("");
    }

    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node.isTextual()) {
            texts.add(node.asText());
        }
        for (JsonNode n : node) {
            if (n.isTextual()) {
                texts.add(n.asText());
            }
        }
        return texts;
    }

    private void add(List<Misconfiguration> found, String id, String path, String keyPath, String message) {
        found.add(new Misconfiguration(catalog.get(id), path, 0, keyPath, null, message));
    }

    private static Map<String, LocalDate> loadRuntimes() {
        Map<String, LocalDate> runtimes = new HashMap<>();
        try (InputStream in = ServerlessChecks.class.getResourceAsStream("lambda-runtimes.tsv")) {
            if (in == null) {
                throw new IllegalStateException("lambda-runtimes.tsv is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] f = line.split("\t");
                    runtimes.put(f[0], LocalDate.parse(f[1]));
                }
            }
            return Map.copyOf(runtimes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
