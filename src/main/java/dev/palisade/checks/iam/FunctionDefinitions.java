package dev.palisade.checks.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The functions a SAM/CloudFormation template or a serverless.yml defines: handler, environment and
 * the permissions their role grants, as far as the template itself says.
 *
 * <p>Palisade's YAML reading keeps the value of a CloudFormation short-form tag but not the tag, so
 * {@code !Ref OrdersTable} reads as {@code OrdersTable} and {@code !GetAtt OrdersTable.Arn} as
 * {@code OrdersTable.Arn}: a value naming a resource of the template is taken as a reference to it.
 */
final class FunctionDefinitions {
    /** Managed policies that grant only what the Lambda runtime itself needs (logs, network interfaces). */
    private static final Set<String> RUNTIME_POLICIES =
            Set.of("AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole", "AWSXRayDaemonWriteAccess");

    /** An Allow statement: its actions and resources, and where it is in the template. */
    record Grant(List<String> actions, List<String> resources, String keyPath) {}

    /**
     * A function and what its role allows.
     *
     * @param grantsKnown false when part of the role is outside what Palisade reads (a managed policy, a SAM
     *     policy template, a role defined elsewhere, NotAction): then missing permissions are not judged
     * @param notRead what was not read, for the report
     */
    record Function(
            String name,
            String keyPath,
            String handler,
            Map<String, JsonNode> environment,
            List<Grant> grants,
            boolean grantsKnown,
            List<String> notRead) {}

    /** A template resource: its type and properties. */
    record Resource(String type, JsonNode properties) {}

    private final List<Function> functions = new ArrayList<>();
    private final Map<String, Resource> resources = new LinkedHashMap<>();

    List<Function> functions() {
        return List.copyOf(functions);
    }

    Map<String, Resource> resources() {
        return Map.copyOf(resources);
    }

    static FunctionDefinitions read(JsonNode document, boolean serverlessFramework) {
        FunctionDefinitions definitions = new FunctionDefinitions();
        if (serverlessFramework) {
            definitions.serverless(document);
        } else {
            definitions.template(document);
        }
        return definitions;
    }

    private void template(JsonNode document) {
        Iterator<Map.Entry<String, JsonNode>> it = document.path("Resources").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            resources.put(
                    e.getKey(),
                    new Resource(
                            e.getValue().path("Type").asText(""), e.getValue().path("Properties")));
        }
        JsonNode globals = document.path("Globals").path("Function");
        for (Map.Entry<String, Resource> e : resources.entrySet()) {
            String type = e.getValue().type();
            if (!type.equals("AWS::Serverless::Function") && !type.equals("AWS::Lambda::Function")) {
                continue;
            }
            String name = e.getKey();
            JsonNode p = e.getValue().properties();
            String at = "Resources." + name + ".Properties";
            Map<String, JsonNode> environment = new LinkedHashMap<>();
            putAll(environment, globals.path("Environment").path("Variables"));
            putAll(environment, p.path("Environment").path("Variables"));
            List<Grant> grants = new ArrayList<>();
            List<String> notRead = new ArrayList<>();
            JsonNode policies = p.path("Policies");
            for (JsonNode policy : policies.isArray() ? policies : List.of(policies)) {
                if (policy.isMissingNode()) {
                    continue;
                }
                if (policy.isTextual()) {
                    managedPolicy(policy.asText(), notRead);
                } else if (policy.has("Statement")) {
                    statements(policy.path("Statement"), at + ".Policies", grants, notRead);
                } else if (policy.isObject() && policy.size() == 1) {
                    notRead.add("SAM policy template " + policy.fieldNames().next());
                }
            }
            JsonNode role = p.path("Role");
            if (!role.isMissingNode()) {
                String roleName = reference(role);
                Resource roleResource = resources.get(roleName);
                if (roleResource != null && roleResource.type().equals("AWS::IAM::Role")) {
                    role(roleName, roleResource, grants, notRead);
                } else {
                    notRead.add("role " + (roleName.isEmpty() ? role.toString() : roleName)
                            + " defined outside this template");
                }
            } else if (type.equals("AWS::Lambda::Function")) {
                notRead.add("no Role in the template");
            }
            functions.add(new Function(
                    name,
                    at,
                    p.path("Handler").asText(globals.path("Handler").asText("")),
                    environment,
                    grants,
                    notRead.isEmpty(),
                    notRead));
        }
    }

    private void role(String roleName, Resource role, List<Grant> grants, List<String> notRead) {
        String at = "Resources." + roleName + ".Properties";
        for (JsonNode arn : role.properties().path("ManagedPolicyArns")) {
            managedPolicy(arn.asText(arn.toString()), notRead);
        }
        for (JsonNode policy : role.properties().path("Policies")) {
            statements(policy.path("PolicyDocument").path("Statement"), at + ".Policies", grants, notRead);
        }
        for (Map.Entry<String, Resource> e : resources.entrySet()) {
            String type = e.getValue().type();
            if (!type.equals("AWS::IAM::Policy") && !type.equals("AWS::IAM::ManagedPolicy")) {
                continue;
            }
            for (JsonNode r : e.getValue().properties().path("Roles")) {
                if (reference(r).equals(roleName)) {
                    statements(
                            e.getValue().properties().path("PolicyDocument").path("Statement"),
                            "Resources." + e.getKey() + ".Properties.PolicyDocument",
                            grants,
                            notRead);
                }
            }
        }
    }

    private static void managedPolicy(String arn, List<String> notRead) {
        String name = arn.substring(arn.lastIndexOf('/') + 1);
        if (!RUNTIME_POLICIES.contains(name)) {
            notRead.add("managed policy " + arn);
        }
    }

    private void serverless(JsonNode document) {
        JsonNode provider = document.path("provider");
        List<Grant> shared = new ArrayList<>();
        List<String> notRead = new ArrayList<>();
        JsonNode statements = provider.path("iam").path("role").path("statements");
        String at = "provider.iam.role.statements";
        if (statements.isMissingNode()) {
            statements = provider.path("iamRoleStatements");
            at = "provider.iamRoleStatements";
        }
        statements(statements, at, shared, notRead);
        for (JsonNode arn : provider.path("iam").path("role").path("managedPolicies")) {
            managedPolicy(arn.asText(arn.toString()), notRead);
        }
        if (provider.path("iam").path("role").isTextual()) {
            notRead.add("role " + provider.path("iam").path("role").asText() + " defined outside this file");
        }
        Iterator<Map.Entry<String, JsonNode>> it = document.path("functions").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            Map<String, JsonNode> environment = new LinkedHashMap<>();
            putAll(environment, provider.path("environment"));
            putAll(environment, f.getValue().path("environment"));
            List<Grant> grants = new ArrayList<>(shared);
            List<String> functionNotRead = new ArrayList<>(notRead);
            // serverless-iam-roles-per-function: statements on the function itself
            statements(
                    f.getValue().path("iamRoleStatements"),
                    "functions." + f.getKey() + ".iamRoleStatements",
                    grants,
                    functionNotRead);
            functions.add(new Function(
                    f.getKey(),
                    "functions." + f.getKey(),
                    f.getValue().path("handler").asText(""),
                    environment,
                    grants,
                    functionNotRead.isEmpty(),
                    functionNotRead));
        }
        Iterator<Map.Entry<String, JsonNode>> rs =
                document.path("resources").path("Resources").fields();
        while (rs.hasNext()) {
            Map.Entry<String, JsonNode> e = rs.next();
            resources.put(
                    e.getKey(),
                    new Resource(
                            e.getValue().path("Type").asText(""), e.getValue().path("Properties")));
        }
    }

    private static void statements(JsonNode statements, String at, List<Grant> grants, List<String> notRead) {
        if (statements.isMissingNode()) {
            return;
        }
        for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
            String effect = statement.has("Effect")
                    ? statement.path("Effect").asText("")
                    : statement.path("effect").asText("Allow");
            if (!effect.equalsIgnoreCase("Allow")) {
                continue;
            }
            if (statement.has("NotAction") || statement.has("notAction")) {
                notRead.add("a statement with NotAction at " + at);
                continue;
            }
            List<String> actions = texts(statement.has("Action") ? statement.path("Action") : statement.path("action"));
            List<String> resourceList = new ArrayList<>();
            JsonNode r = statement.has("Resource") ? statement.path("Resource") : statement.path("resource");
            for (JsonNode n : r.isArray() ? r : List.of(r)) {
                if (!n.isMissingNode()) {
                    resourceList.add(n.isTextual() ? n.asText() : n.toString());
                }
            }
            grants.add(new Grant(actions, resourceList, at));
        }
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

    private static void putAll(Map<String, JsonNode> into, JsonNode variables) {
        Iterator<Map.Entry<String, JsonNode>> it = variables.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> v = it.next();
            into.put(v.getKey(), v.getValue());
        }
    }

    /** The logical id a Ref/GetAtt (long or short form) points at, or the text itself. */
    static String reference(JsonNode node) {
        if (node.isTextual()) {
            return node.asText().replaceFirst("\\.Arn$", "");
        }
        if (node.has("Fn::GetAtt")) {
            JsonNode getAtt = node.path("Fn::GetAtt");
            return getAtt.isArray() ? getAtt.path(0).asText() : getAtt.asText().replaceFirst("\\.Arn$", "");
        }
        return node.path("Ref").asText("");
    }
}
