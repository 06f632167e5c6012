package dev.palisade.checks.iam;

import dev.palisade.checks.iam.AwsServiceModels.Service;
import dev.palisade.checks.iam.CodeTokens.Kind;
import dev.palisade.checks.iam.CodeTokens.Language;
import dev.palisade.checks.iam.CodeTokens.Token;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finds the AWS SDK calls of one source file by following, token by token, what each name is bound to:
 * the SDK module (under any alias), a client of a service, a boto3 resource object, an SDK v3 command.
 * Bindings are per file and flow-insensitive (the last assignment of a name wins), and a function that
 * returns a client makes its calls clients too. Two passes, so that a helper defined below its use counts.
 * Work is linear in the tokens: brackets are matched once, and argument lists are searched only so far.
 */
final class SdkCallScanner {
    private static final int MAX_NESTING = 8;
    /** Tokens of an argument list searched for the resource parameter. */
    private static final int ARGUMENT_WINDOW = 400;

    private static final Set<String> PYTHON_CLIENT_HELPERS =
            Set.of("close", "can_paginate", "get_waiter", "meta", "exceptions");
    private static final Set<String> JS_CLIENT_HELPERS =
            Set.of("promise", "on", "config", "destroy", "middlewareStack", "waitFor", "setupRequestListeners");
    static final Set<String> JAVA_CLIENT_HELPERS =
            Set.of("close", "serviceName", "utilities", "serviceClientConfiguration", "waiter");
    private static final Set<String> NOT_A_METHOD = Set.of(
            "if", "for", "while", "switch", "catch", "synchronized", "return", "function", "new", "super", "this");

    /** What a name or an expression stands for. */
    private sealed interface Value {}

    private record Unknown() implements Value {}

    private record Literal(String text) implements Value {}

    private record Env(String variable) implements Value {}

    /** An SDK entry point: {@code boto3}, {@code boto3.client}, {@code os.environ}, {@code aws-sdk}... */
    private record Sdk(String role, @Nullable Service service) implements Value {}

    /** A client; {@code dialect} says how its methods name operations. */
    private record Client(Service service, String dialect) implements Value {}

    /** A boto3 resource object ({@code type} ServiceResource, Table, Bucket...) with the path of attributes read since. */
    private record ResourceObject(Service service, String type, Value name, String path) implements Value {}

    /** A class to instantiate: an SDK v2 or v3 client class, a v3 command, a Java client interface. */
    private record ClassRef(Service service, String kind, String name) implements Value {}

    private record Command(Service service, List<String> operations, int argsOpen) implements Value {}

    private record Method(Value target, String name, int line) implements Value {}

    private record FunctionRef(String name) implements Value {}

    /** {@code client.get_paginator('list_objects_v2')}: the call happens, with its parameters, at {@code paginate()}. */
    private record Paginator(Service service, String operation) implements Value {}

    private record ObjectLiteral(int open) implements Value {}

    private static final Value UNKNOWN = new Unknown();

    private final AwsServiceModels models;
    private final String file;
    private final Language language;
    private final List<Token> tokens;
    private final int[] match;
    private final Map<String, Value> bindings = new HashMap<>();
    private final Map<String, Value> functions = new HashMap<>();
    // a call site is evaluated again where it is also part of an assignment or a return: kept once
    private final Set<SdkCall> calls = new LinkedHashSet<>();
    private final Set<SdkCall.Unresolved> unresolved = new LinkedHashSet<>();
    private boolean recording;
    private String currentFunction = "";
    /** Tokens before this index were consumed by a statement (an import list). */
    private int resumeAt;

    private int nesting;
    /** Where the last {@link #evaluate} stopped. */
    private int lastEnd;

    private SdkCallScanner(AwsServiceModels models, String file, Language language, List<Token> tokens) {
        this.models = models;
        this.file = file;
        this.language = language;
        this.tokens = tokens;
        this.match = matchBrackets(tokens);
    }

    /** What a file's code calls. */
    record Result(List<SdkCall> calls, List<SdkCall.Unresolved> unresolved) {}

    static Result scan(AwsServiceModels models, String file, Language language, List<Token> tokens) {
        SdkCallScanner scanner = new SdkCallScanner(models, file, language, tokens);
        scanner.pass();
        scanner.recording = true;
        scanner.currentFunction = "";
        scanner.resumeAt = 0;
        scanner.pass();
        return new Result(List.copyOf(scanner.calls), List.copyOf(scanner.unresolved));
    }

    private static int[] matchBrackets(List<Token> tokens) {
        int[] match = new int[tokens.size()];
        java.util.Arrays.fill(match, -1);
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("(") || t.is("[") || t.is("{")) {
                open.push(i);
            } else if ((t.is(")") || t.is("]") || t.is("}")) && !open.isEmpty()) {
                int o = open.pop();
                match[o] = i;
                match[i] = o;
            }
        }
        return match;
    }

    private Token at(int i) {
        return i >= 0 && i < tokens.size() ? tokens.get(i) : new Token(Kind.PUNCT, "", 0);
    }

    /** The index after a bracket's match, or after the end when it has none. */
    private int after(int open) {
        return match[open] < 0 ? tokens.size() : match[open] + 1;
    }

    private void pass() {
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("(") || t.is("[")) {
                depth++;
            } else if (t.is(")") || t.is("]")) {
                depth = Math.max(0, depth - 1);
            }
            if (t.kind() != Kind.IDENT || i < resumeAt) {
                continue;
            }
            Token previous = at(i - 1);
            if (previous.is(".") || previous.is("?.")) {
                continue;
            }
            if (statement(i, depth)) {
                continue;
            }
            evaluate(i);
        }
    }

    /** Imports, definitions, declarations and assignments; true when the token was one and has been handled. */
    private boolean statement(int i, int depth) {
        Token t = tokens.get(i);
        String word = t.text();
        if (language == Language.PYTHON && t.isIdent("import") && !at(i - 1).isIdent("from")) {
            pythonImport(i + 1);
            return true;
        }
        if (language == Language.PYTHON && t.isIdent("from") && at(i + 1).kind() == Kind.IDENT) {
            pythonFromImport(i);
            return true;
        }
        if (language == Language.JAVASCRIPT && t.isIdent("import")) {
            jsImport(i);
            return true;
        }
        if ((t.isIdent("def") || t.isIdent("function")) && at(i + 1).kind() == Kind.IDENT) {
            currentFunction = at(i + 1).text();
            return true;
        }
        if (language != Language.PYTHON
                && at(i + 1).is("(")
                && !NOT_A_METHOD.contains(word)
                && at(after(i + 1)).is("{")
                && !at(i - 1).is(".")) {
            currentFunction = word; // a method or function declaration: NAME(...) {
        }
        if (t.isIdent("return")) {
            Value v = evaluate(i + 1);
            if (isSdkValue(v) && !currentFunction.isEmpty()) {
                functions.put(currentFunction, v);
            }
            return true;
        }
        if (language == Language.JAVASCRIPT
                && (t.isIdent("const") || t.isIdent("let") || t.isIdent("var"))
                && (at(i + 1).is("{") || at(i + 1).is("["))) {
            destructure(i + 1);
            return true;
        }
        if (language == Language.JAVA && at(i + 1).kind() == Kind.IDENT) {
            Optional<Service> client = models.byJavaClient(word);
            if (client.isPresent() && !at(i - 1).is(".")) {
                bindings.put(at(i + 1).text(), new Client(client.get(), "java"));
            }
        }
        if (depth == 0) {
            int end = i;
            StringBuilder target = new StringBuilder(word);
            while (at(end + 1).is(".") && at(end + 2).kind() == Kind.IDENT) {
                target.append('.').append(at(end + 2).text());
                end += 2;
            }
            if (at(end + 1).is("=")
                    || language != Language.JAVA
                            && at(end + 1).is(":")
                            && at(end + 3).is("=")) {
                int value = at(end + 1).is("=") ? end + 2 : end + 4;
                assign(target.toString(), value);
                return false; // the right-hand side is still evaluated for calls
            }
        }
        return false;
    }

    private void assign(String name, int valueAt) {
        Token first = at(valueAt);
        if (language == Language.JAVASCRIPT && isArrowFunction(valueAt)) {
            currentFunction = name;
            int arrow = valueAt;
            while (arrow < tokens.size() && !at(arrow).is("=>")) {
                arrow = at(arrow).is("(") ? after(arrow) : arrow + 1;
            }
            if (!at(arrow + 1).is("{")) {
                Value v = evaluate(arrow + 1);
                if (isSdkValue(v)) {
                    functions.put(name, v);
                }
            }
            return;
        }
        if (first.is("{") && language == Language.JAVASCRIPT) {
            bindings.put(name, new ObjectLiteral(valueAt));
            return;
        }
        Value v = evaluate(valueAt);
        Value existing = bindings.get(name);
        if (v instanceof Unknown && existing instanceof Client) {
            return; // "S3Client s3 = ...": the declared type says more than an expression not understood
        }
        bindings.put(name, v);
    }

    private boolean isArrowFunction(int i) {
        int j = at(i).isIdent("async") ? i + 1 : i;
        if (at(j).is("(")) {
            return at(after(j)).is("=>");
        }
        return at(j).kind() == Kind.IDENT && at(j + 1).is("=>");
    }

    private static boolean isSdkValue(Value v) {
        return v instanceof Client || v instanceof ResourceObject || v instanceof ClassRef || v instanceof Sdk;
    }

    // ---- imports ----

    private void pythonImport(int i) {
        // import boto3 / import boto3 as b / import os, boto3 / import botocore.session
        int j = i;
        while (at(j).kind() == Kind.IDENT) {
            StringBuilder module = new StringBuilder(at(j).text());
            j++;
            while (at(j).is(".") && at(j + 1).kind() == Kind.IDENT) {
                module.append('.').append(at(j + 1).text());
                j += 2;
            }
            String bound = module.toString();
            if (at(j).isIdent("as") && at(j + 1).kind() == Kind.IDENT) {
                bindings.put(at(j + 1).text(), pythonModule(bound));
                j += 2;
            } else {
                String top = bound.contains(".") ? bound.substring(0, bound.indexOf('.')) : bound;
                bindings.put(top, pythonModule(top));
            }
            if (!at(j).is(",")) {
                break;
            }
            j++;
        }
        resumeAt = j;
    }

    private Value pythonModule(String module) {
        return switch (module) {
            case "boto3" -> new Sdk("boto3", null);
            case "boto3.session", "botocore.session" -> new Sdk("session-module", null);
            case "botocore" -> new Sdk("botocore", null);
            case "os" -> new Sdk("os", null);
            default -> UNKNOWN;
        };
    }

    private void pythonFromImport(int i) {
        // from boto3 import client as c, resource / from os import environ, getenv
        int j = i + 1;
        StringBuilder module = new StringBuilder(at(j).text());
        j++;
        while (at(j).is(".") && at(j + 1).kind() == Kind.IDENT) {
            module.append('.').append(at(j + 1).text());
            j += 2;
        }
        if (!at(j).isIdent("import")) {
            return;
        }
        j++;
        if (at(j).is("(")) {
            j++;
        }
        Value from = pythonModule(module.toString());
        while (at(j).kind() == Kind.IDENT) {
            String name = at(j).text();
            String bound = name;
            j++;
            if (at(j).isIdent("as") && at(j + 1).kind() == Kind.IDENT) {
                bound = at(j + 1).text();
                j += 2;
            }
            bindings.put(bound, attribute(from, name));
            if (!at(j).is(",")) {
                break;
            }
            j++;
        }
        resumeAt = j;
    }

    private void jsImport(int i) {
        // import X from 'm'; import * as X from 'm'; import { a, b as c } from 'm'; import X, { a } from 'm'
        int j = i + 1;
        int end = j;
        while (end < tokens.size() && end < j + ARGUMENT_WINDOW && !at(end).isIdent("from") && !at(end).is(";")) {
            end = at(end).is("{") ? after(end) : end + 1;
        }
        if (!at(end).isIdent("from") || at(end + 1).kind() != Kind.STRING) {
            return;
        }
        Value module = jsModule(at(end + 1).text());
        resumeAt = end + 2;
        while (j < end) {
            if (at(j).is("*") && at(j + 1).isIdent("as")) {
                bindings.put(at(j + 2).text(), module);
                j += 3;
            } else if (at(j).is("{")) {
                bindNames(j, module);
                j = after(j);
            } else if (at(j).kind() == Kind.IDENT && !at(j).isIdent("type")) {
                bindings.put(at(j).text(), module);
                j++;
            } else {
                j++;
            }
        }
    }

    /** {@code { a, b as c, d: e }} against a module or object value. */
    private void bindNames(int open, Value from) {
        int close = after(open) - 1;
        int j = open + 1;
        while (j < close) {
            if (at(j).kind() == Kind.IDENT) {
                String name = at(j).text();
                String bound = name;
                if ((at(j + 1).isIdent("as") || at(j + 1).is(":")) && at(j + 2).kind() == Kind.IDENT) {
                    bound = at(j + 2).text();
                    j += 2;
                }
                bindings.put(bound, attribute(from, name));
            }
            j++;
        }
    }

    private void destructure(int open) {
        int close = after(open);
        if (at(close).is("=")) {
            Value from = evaluate(close + 1);
            if (at(open).is("{")) {
                bindNames(open, from);
            }
        }
    }

    private Value jsModule(String name) {
        if (name.equals("aws-sdk")) {
            return new Sdk("aws-sdk", null);
        }
        if (name.startsWith("aws-sdk/clients/")) {
            String client = name.substring("aws-sdk/clients/".length());
            for (Service s : models.services()) {
                for (String cls : s.jsClasses()) {
                    if (cls.equalsIgnoreCase(client)) {
                        return new ClassRef(s, "js", cls);
                    }
                }
            }
            return UNKNOWN;
        }
        if (name.equals("@aws-sdk/lib-dynamodb")) {
            return models.byIamPrefix("dynamodb")
                    .<Value>map(s -> new Sdk("lib-dynamodb", s))
                    .orElse(UNKNOWN);
        }
        return models.byV3Package(name)
                .<Value>map(s -> new Sdk("v3-package", s))
                .orElse(UNKNOWN);
    }

    // ---- expressions ----

    /** Evaluates the primary expression at {@code i} (a name, literal or {@code new}, then its trailers). */
    private Value evaluate(int i) {
        // arguments are evaluated recursively: nesting beyond what real code writes is not followed
        if (nesting >= MAX_NESTING) {
            return UNKNOWN;
        }
        nesting++;
        try {
            return evaluatePrimary(i);
        } finally {
            nesting--;
        }
    }

    private Value evaluatePrimary(int i) {
        int j = i;
        while (at(j).isIdent("await") || at(j).isIdent("yield")) {
            j++;
        }
        boolean isNew = false;
        if (at(j).isIdent("new")) {
            isNew = true;
            j++;
        }
        Token t = at(j);
        Value value;
        if (t.kind() == Kind.STRING) {
            value = new Literal(t.text());
            j++;
        } else if (t.kind() == Kind.IDENT) {
            String name = t.text();
            j++;
            while (at(j).is(".")
                    && at(j + 1).kind() == Kind.IDENT
                    && bindings.containsKey(name + "." + at(j + 1).text())) {
                name = name + "." + at(j + 1).text();
                j += 2;
            }
            value = lookup(name, at(j).is("("));
        } else {
            return UNKNOWN;
        }
        int steps = 0;
        while (steps++ < 64) {
            Token n = at(j);
            if ((n.is(".") || n.is("?.")) && at(j + 1).kind() == Kind.IDENT) {
                value = attributeAt(value, at(j + 1).text(), at(j + 1).line());
                j += 2;
            } else if (n.is("?.") && at(j + 1).is("(")) {
                j++;
            } else if (n.is("(")) {
                value = call(value, j, isNew);
                isNew = false;
                j = after(j);
            } else if (n.is("[")) {
                value = index(value, j);
                j = after(j);
            } else {
                break;
            }
        }
        lastEnd = j;
        return value;
    }

    private Value lookup(String name, boolean called) {
        Value bound = bindings.get(name);
        if (bound != null) {
            return bound;
        }
        if (called && functions.containsKey(name)) {
            return new FunctionRef(name);
        }
        if (language == Language.PYTHON && CodeTokens.sameText(name, "getattr")) {
            return new Sdk("getattr", null);
        }
        if (language == Language.JAVASCRIPT) {
            if (CodeTokens.sameText(name, "require")) {
                return new Sdk("require", null);
            }
            if (CodeTokens.sameText(name, "process")) {
                return new Sdk("process", null);
            }
        }
        if (language == Language.JAVA) {
            if (name.equals("System")) {
                return new Sdk("System", null);
            }
            Optional<Service> client = models.byJavaClient(name);
            if (client.isPresent()) {
                return new ClassRef(client.get(), "java", name);
            }
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0 && called && functions.containsKey(name.substring(dot + 1))) {
            return new FunctionRef(name.substring(dot + 1)); // self.make_client()
        }
        return UNKNOWN;
    }

    private Value attributeAt(Value value, String name, int line) {
        if (value instanceof Paginator) {
            return new Method(value, name, line);
        }
        if (value instanceof Client || value instanceof ResourceObject) {
            if (value instanceof ResourceObject r2) {
                if (name.equals("meta")) {
                    return new ResourceObject(r2.service(), r2.type(), r2.name(), "meta");
                }
                if (r2.path().equals("meta") && name.equals("client")) {
                    return new Client(r2.service(), "python");
                }
            }
            return new Method(value, name, line);
        }
        if (value instanceof Unknown && functions.containsKey(name)) {
            return new FunctionRef(name); // self.make_client, this.client()
        }
        return attribute(value, name);
    }

    /** An attribute of an SDK value, as {@code from X import name} or {@code X.name} would give it. */
    private Value attribute(Value value, String name) {
        if (value instanceof Method m && m.target() instanceof ResourceObject r) {
            // bucket.objects.all: the path grows until a call
            String path = r.path().isEmpty() ? m.name() : r.path() + "." + m.name();
            return new Method(new ResourceObject(r.service(), r.type(), r.name(), path), name, m.line());
        }
        if (!(value instanceof Sdk sdk)) {
            if (value instanceof ClassRef c && c.kind().equals("js") && name.equals("DocumentClient")) {
                return new ClassRef(c.service(), "js-document", "DocumentClient");
            }
            if (value instanceof ClassRef c
                    && (c.kind().equals("java") || c.kind().equals("java-builder"))
                    && !name.equals("create")) {
                return new Method(value, name, 0);
            }
            if (value instanceof ClassRef c && c.kind().equals("js3-document") && name.equals("from")) {
                return new Method(value, name, 0);
            }
            if (value instanceof ClassRef c && c.kind().equals("java") && name.equals("create")) {
                return new Method(value, name, 0);
            }
            return UNKNOWN;
        }
        return switch (sdk.role()) {
            case "boto3" ->
                switch (name) {
                    case "client" -> new Sdk("client-factory", null);
                    case "resource" -> new Sdk("resource-factory", null);
                    case "session" -> new Sdk("session-module", null);
                    case "Session" -> new Sdk("session-class", null);
                    default -> UNKNOWN;
                };
            case "session-module" ->
                name.equals("Session") || name.equals("get_session") ? new Sdk("session-class", null) : UNKNOWN;
            case "botocore" -> name.equals("session") ? new Sdk("session-module", null) : UNKNOWN;
            case "session" ->
                switch (name) {
                    case "client", "create_client" -> new Sdk("client-factory", null);
                    case "resource" -> new Sdk("resource-factory", null);
                    default -> UNKNOWN;
                };
            case "os" ->
                switch (name) {
                    case "environ" -> new Sdk("environ", null);
                    case "getenv" -> new Sdk("getenv", null);
                    default -> UNKNOWN;
                };
            case "environ" ->
                language == Language.JAVASCRIPT
                        ? new Env(name)
                        : name.equals("get") ? new Sdk("getenv", null) : UNKNOWN;
            case "process" -> name.equals("env") ? new Sdk("environ", null) : UNKNOWN;
            case "System" -> name.equals("getenv") ? new Sdk("getenv", null) : UNKNOWN;
            case "aws-sdk" ->
                models.byJsClass(name)
                        .<Value>map(s -> new ClassRef(s, "js", name))
                        .orElse(UNKNOWN);
            case "v3-package" -> v3Name(sdk.service(), name);
            case "lib-dynamodb" -> libDynamoDbName(sdk.service(), name);
            default -> UNKNOWN;
        };
    }

    private Value v3Name(@Nullable Service service, String name) {
        if (service == null) {
            return UNKNOWN;
        }
        if (name.endsWith("Command")) {
            String operation = name.substring(0, name.length() - "Command".length());
            return service.operations().contains(operation) ? new ClassRef(service, "command", operation) : UNKNOWN;
        }
        if (name.equals(service.v3ClassName() + "Client")) {
            return new ClassRef(service, "js3", name);
        }
        if (name.equals(service.v3ClassName())) {
            return new ClassRef(service, "js3-aggregated", name);
        }
        return UNKNOWN;
    }

    private Value libDynamoDbName(@Nullable Service service, String name) {
        if (service == null) {
            return UNKNOWN;
        }
        if (name.equals("DynamoDBDocumentClient")) {
            return new ClassRef(service, "js3-document", name);
        }
        if (name.equals("DynamoDBDocument")) {
            return new ClassRef(service, "js3-document-aggregated", name);
        }
        List<String> operations = models.methodOperations("js-lib", service, name);
        return operations.isEmpty() ? UNKNOWN : new ClassRef(service, "lib-command", name);
    }

    private Value index(Value value, int open) {
        Value key = evaluate(open + 1);
        if (value instanceof Sdk sdk && sdk.role().equals("environ")) {
            return key instanceof Literal l ? new Env(l.text()) : UNKNOWN;
        }
        if (value instanceof Client c && recording) {
            unresolved.add(new SdkCall.Unresolved(
                    file, at(open).line(), c.service().iamPrefix(), "a method chosen at run time (client[...])"));
        }
        return UNKNOWN;
    }

    private Value firstArgument(int open) {
        return at(open + 1).is(")") ? UNKNOWN : evaluate(open + 1);
    }

    private Value call(Value callee, int open, boolean isNew) {
        if (callee instanceof FunctionRef f) {
            return functions.getOrDefault(f.name(), UNKNOWN);
        }
        if (callee instanceof Sdk sdk) {
            switch (sdk.role()) {
                case "client-factory" -> {
                    Value name = firstArgument(open);
                    if (name instanceof Literal l) {
                        return models.byBoto3Name(l.text())
                                .<Value>map(s -> new Client(s, "python"))
                                .orElse(UNKNOWN);
                    }
                    unknownService(open, "a boto3 client of a service named at run time");
                    return UNKNOWN;
                }
                case "resource-factory" -> {
                    Value name = firstArgument(open);
                    if (name instanceof Literal l) {
                        return models.byBoto3Name(l.text())
                                .<Value>map(s -> new ResourceObject(s, "ServiceResource", UNKNOWN, ""))
                                .orElse(UNKNOWN);
                    }
                    unknownService(open, "a boto3 resource of a service named at run time");
                    return UNKNOWN;
                }
                case "session-class" -> {
                    return new Sdk("session", null);
                }
                case "getenv" -> {
                    Value name = firstArgument(open);
                    return name instanceof Literal l ? new Env(l.text()) : UNKNOWN;
                }
                case "getattr" -> {
                    Value target = firstArgument(open);
                    boolean client = target instanceof Client || target instanceof ResourceObject;
                    if (!client || !at(lastEnd).is(",")) {
                        return UNKNOWN;
                    }
                    Value name = evaluate(lastEnd + 1);
                    if (name instanceof Literal l) {
                        return new Method(target, l.text(), at(open).line());
                    }
                    Service service = target instanceof Client c ? c.service() : ((ResourceObject) target).service();
                    if (recording) {
                        unresolved.add(new SdkCall.Unresolved(
                                file,
                                at(open).line(),
                                service.iamPrefix(),
                                "getattr() with a method name computed at run time"));
                    }
                    return UNKNOWN;
                }
                case "require" -> {
                    Value name = firstArgument(open);
                    return name instanceof Literal l ? jsModule(l.text()) : UNKNOWN;
                }
                default -> {
                    return UNKNOWN;
                }
            }
        }
        if (callee instanceof ClassRef c) {
            return switch (c.kind()) {
                case "js" -> new Client(c.service(), "js");
                case "js-document", "js3-document-aggregated" -> new Client(c.service(), "js-document");
                case "js3" -> new Client(c.service(), "js3");
                case "js3-aggregated" -> new Client(c.service(), "js");
                case "command" -> new Command(c.service(), List.of(c.name()), open);
                case "lib-command" ->
                    new Command(c.service(), models.methodOperations("js-lib", c.service(), c.name()), open);
                default -> UNKNOWN;
            };
        }
        if (callee instanceof Method m) {
            return methodCall(m, open);
        }
        return UNKNOWN;
    }

    private void unknownService(int open, String what) {
        if (recording) {
            unresolved.add(new SdkCall.Unresolved(file, at(open).line(), "?", what));
        }
    }

    private Value methodCall(Method m, int open) {
        int line = at(open - 1).line();
        if (m.target() instanceof ClassRef c) {
            if (c.kind().equals("js3-document") && m.name().equals("from")) {
                return new Client(c.service(), "js3");
            }
            if (c.kind().equals("java") && m.name().equals("create")) {
                return new Client(c.service(), "java");
            }
            if (c.kind().equals("java") && m.name().equals("builder")) {
                return new ClassRef(c.service(), "java-builder", c.name());
            }
            if (c.kind().equals("java-builder")) {
                return m.name().equals("build") ? new Client(c.service(), "java") : c;
            }
            return UNKNOWN;
        }
        if (m.target() instanceof ResourceObject r) {
            return resourceCall(r, m.name(), open, line);
        }
        if (m.target() instanceof Paginator p) {
            if (m.name().equals("paginate")) {
                record(p.service(), List.of(p.operation()), line, open, "");
            }
            return UNKNOWN;
        }
        if (!(m.target() instanceof Client client)) {
            return UNKNOWN;
        }
        Service service = client.service();
        String name = m.name();
        switch (client.dialect()) {
            case "python" -> {
                if (name.equals("get_paginator") || name.equals("generate_presigned_url")) {
                    Value op = firstArgument(open);
                    Optional<String> operation =
                            op instanceof Literal l ? models.operationForSnake(service, l.text()) : Optional.empty();
                    if (name.equals("get_paginator") && operation.isPresent()) {
                        return new Paginator(service, operation.get());
                    }
                    record(
                            service,
                            operation.map(List::of).orElse(List.of()),
                            line,
                            open,
                            name + "(...) of an operation named at run time");
                    return UNKNOWN;
                }
                if (PYTHON_CLIENT_HELPERS.contains(name)) {
                    if (name.equals("get_waiter")) {
                        record(service, List.of(), line, open, "a waiter (its polling calls are not listed)");
                    }
                    return UNKNOWN;
                }
                List<String> extra = models.methodOperations("python", service, name);
                record(
                        service,
                        !extra.isEmpty()
                                ? extra
                                : models.operationForSnake(service, name)
                                        .map(List::of)
                                        .orElse(List.of()),
                        line,
                        open,
                        "method " + name + " is not an operation of " + service.serviceId());
            }
            case "js", "js-document" -> {
                if (JS_CLIENT_HELPERS.contains(name)) {
                    return UNKNOWN;
                }
                if (name.equals("getSignedUrl") || name.equals("getSignedUrlPromise") || name.equals("makeRequest")) {
                    Value op = firstArgument(open);
                    Optional<String> operation =
                            op instanceof Literal l ? models.operationForCamel(service, l.text()) : Optional.empty();
                    record(
                            service,
                            operation.map(List::of).orElse(List.of()),
                            line,
                            open,
                            name + "(...) of an operation named at run time");
                    return UNKNOWN;
                }
                List<String> extra = models.methodOperations(client.dialect(), service, name);
                List<String> operations = !extra.isEmpty() || client.dialect().equals("js-document")
                        ? extra
                        : models.operationForCamel(service, name).map(List::of).orElse(List.of());
                record(
                        service,
                        operations,
                        line,
                        open,
                        "method " + name + " is not an operation of " + service.serviceId());
            }
            case "js3" -> {
                if (name.equals("send")) {
                    Value command = firstArgument(open);
                    if (command instanceof Command c) {
                        record(c.service(), c.operations(), line, c.argsOpen(), "");
                    } else {
                        record(service, List.of(), line, open, "send() of a command built at run time");
                    }
                } else if (!JS_CLIENT_HELPERS.contains(name)) {
                    record(service, List.of(), line, open, "method " + name + " of an SDK v3 client");
                }
            }
            case "java" -> {
                if (JAVA_CLIENT_HELPERS.contains(name)) {
                    if (name.equals("waiter")) {
                        record(service, List.of(), line, open, "a waiter (its polling calls are not listed)");
                    }
                    return UNKNOWN;
                }
                String method =
                        name.endsWith("Paginator") ? name.substring(0, name.length() - "Paginator".length()) : name;
                record(
                        service,
                        models.operationForCamel(service, method).map(List::of).orElse(List.of()),
                        line,
                        open,
                        "method " + name + " is not an operation of " + service.serviceId());
            }
            default -> {}
        }
        return UNKNOWN;
    }

    private Value resourceCall(ResourceObject r, String name, int open, int line) {
        Service service = r.service();
        if (Character.isUpperCase(name.charAt(0)) && r.path().isEmpty()) {
            // a sub-resource: s3.Bucket(name), dynamodb.Table(name), bucket.Object(key) keeps the bucket
            Value resourceName = r.type().equals("ServiceResource") ? firstArgument(open) : r.name();
            return new ResourceObject(service, name, resourceName, "");
        }
        String key = r.type() + "." + (r.path().isEmpty() ? name : r.path() + "." + name);
        List<String> operations = models.methodOperations("python-resource", service, key);
        if (operations.isEmpty() && r.path().isEmpty()) {
            operations = models.operationForSnake(service, name).map(List::of).orElse(List.of());
        }
        if (recording) {
            if (operations.isEmpty()) {
                unresolved.add(new SdkCall.Unresolved(file, line, service.iamPrefix(), "resource method " + key));
            } else {
                SdkCall.ResourceName resource = resourceName(r.name());
                for (String op : operations) {
                    calls.add(new SdkCall(file, line, service.iamPrefix(), op, models.actions(service, op), resource));
                }
            }
        }
        return UNKNOWN;
    }

    private void record(Service service, List<String> operations, int line, int argsOpen, String whyUnknown) {
        if (!recording) {
            return;
        }
        if (operations.isEmpty()) {
            unresolved.add(new SdkCall.Unresolved(file, line, service.iamPrefix(), whyUnknown));
            return;
        }
        SdkCall.ResourceName resource = resourceArgument(service, argsOpen);
        for (String op : operations) {
            calls.add(new SdkCall(file, line, service.iamPrefix(), op, models.actions(service, op), resource));
        }
    }

    private SdkCall.@Nullable ResourceName resourceName(Value v) {
        if (v instanceof Literal l) {
            return new SdkCall.ResourceName(l.text(), null);
        }
        if (v instanceof Env e) {
            return new SdkCall.ResourceName(null, e.variable());
        }
        return null;
    }

    /** The resource parameter of a call ({@code Bucket=}, {@code Bucket:}, {@code .bucket(}), searched in its arguments. */
    private SdkCall.@Nullable ResourceName resourceArgument(Service service, int open) {
        AwsServiceModels.ResourceKind kind = models.resourceKind(service);
        if (kind == null || !at(open).is("(")) {
            return null;
        }
        return searchParameter(kind.parameter(), open, 0);
    }

    private SdkCall.@Nullable ResourceName searchParameter(String parameter, int open, int hops) {
        int end = Math.min(after(open) - 1, open + ARGUMENT_WINDOW);
        String javaName = AwsServiceModels.lowerFirst(parameter);
        for (int j = open + 1; j < end; j++) {
            Token t = at(j);
            boolean key = t.kind() == Kind.IDENT && t.text().equals(parameter)
                    || t.kind() == Kind.STRING && t.text().equals(parameter);
            if (key && (at(j + 1).is("=") || at(j + 1).is(":")) && !at(j - 1).is(".")) {
                return resourceName(evaluate(j + 2));
            }
            if (language == Language.JAVA
                    && t.isIdent(javaName)
                    && at(j - 1).is(".")
                    && at(j + 1).is("(")) {
                return resourceName(evaluate(j + 2));
            }
        }
        // a parameter object built beforehand: s3.getObject(params), client.send(new XCommand(input))
        if (hops < 2
                && at(open + 1).kind() == Kind.IDENT
                && (at(open + 2).is(")") || at(open + 2).is(","))) {
            Value v = bindings.get(at(open + 1).text());
            if (v instanceof ObjectLiteral o) {
                return searchObject(parameter, o.open());
            }
        }
        if (hops < 2 && at(open + 1).is("{")) {
            return searchObject(parameter, open + 1);
        }
        return null;
    }

    private SdkCall.@Nullable ResourceName searchObject(String parameter, int open) {
        int end = Math.min(after(open) - 1, open + ARGUMENT_WINDOW);
        for (int j = open + 1; j < end; j++) {
            Token t = at(j);
            if ((t.isIdent(parameter) || t.kind() == Kind.STRING && t.text().equals(parameter))
                    && at(j + 1).is(":")) {
                return resourceName(evaluate(j + 2));
            }
            if (t.isIdent(parameter) && (at(j + 1).is(",") || at(j + 1).is("}"))) {
                return resourceName(evaluate(j)); // shorthand { Bucket }
            }
        }
        return null;
    }
}
