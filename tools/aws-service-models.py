#!/usr/bin/env python3
"""Builds src/main/resources/dev/palisade/checks/iam/aws-operations.tsv from the AWS SDKs' own service models.

Sources, fetched with the registries' own clients:
  - npm: the `aws-sdk` (JavaScript SDK v2) package. Its apis/<prefix>-<version>.min.json files are the service
    models (operations, metadata.endpointPrefix/signingName/serviceId); apis/metadata.json names the SDK v2
    client classes (AWS.S3, AWS.StepFunctions, ...).
  - Maven Central: the AWS SDK for Java v2 service jars (software.amazon.awssdk:<artifact>). Recent jars no
    longer carry codegen-resources/service-2.json (2.17.100 did, 2.59.1 does not), so they are used only for
    the synchronous client interface's name (S3Client, DynamoDbClient, SfnClient), and each operation's Java
    method name (lowerCamel of the operation) is checked to be present in that class.

Usage: tools/aws-service-models.py [--aws-sdk-version 2.1693.0] [--java-sdk-version 2.59.1]
Needs npm and mvn on the PATH and network access to the npm registry and Maven Central.
"""
import argparse
import datetime
import hashlib
import json
import os
import pathlib
import subprocess
import sys
import tarfile
import tempfile
import zipfile

# (aws-sdk model file prefix, Java SDK v2 artifact, Java service package, boto3 service name)
# boto3 names are botocore's data directory names (github.com/boto/botocore, botocore/data/<name>/).
SERVICES = [
    ("s3", "s3", "s3", "s3"),
    ("dynamodb", "dynamodb", "dynamodb", "dynamodb"),
    ("sqs", "sqs", "sqs", "sqs"),
    ("sns", "sns", "sns", "sns"),
    ("lambda", "lambda", "lambda", "lambda"),
    ("secretsmanager", "secretsmanager", "secretsmanager", "secretsmanager"),
    ("ssm", "ssm", "ssm", "ssm"),
    ("kms", "kms", "kms", "kms"),
    ("sts", "sts", "sts", "sts"),
    ("eventbridge", "eventbridge", "eventbridge", "events"),
    ("kinesis", "kinesis", "kinesis", "kinesis"),
    ("states", "sfn", "sfn", "stepfunctions"),
    ("logs", "cloudwatchlogs", "cloudwatchlogs", "logs"),
]
# SDK v2 JavaScript class names that are a second name for a model above (same endpoint, older serviceId).
JS_ALIASES = {"cloudwatchevents": "eventbridge"}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def newest_model(apis, prefix):
    names = sorted(n for n in apis if n.startswith(prefix + "-") and n.endswith(".min.json")
                   and n[len(prefix) + 1:len(prefix) + 2].isdigit())
    if not names:
        sys.exit(f"no model for {prefix} in the aws-sdk package")
    return names[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--aws-sdk-version", default="2.1693.0")
    ap.add_argument("--java-sdk-version", default="2.59.1")
    ap.add_argument("--output", default=str(pathlib.Path(__file__).resolve().parent.parent
                                             / "src/main/resources/dev/palisade/checks/iam/aws-operations.tsv"))
    args = ap.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix="aws-models-"))
    subprocess.run(["npm", "pack", f"aws-sdk@{args.aws_sdk_version}", "--silent", "--pack-destination", str(work)],
                   check=True, stdout=subprocess.DEVNULL)
    tgz = work / f"aws-sdk-{args.aws_sdk_version}.tgz"
    apis = {}
    with tarfile.open(tgz) as t:
        for m in t.getmembers():
            if m.isfile() and m.name.startswith("package/apis/") and m.name.endswith(".json"):
                apis[m.name[len("package/apis/"):]] = t.extractfile(m).read()
    js_metadata = json.loads(apis["metadata.json"])
    rows = []
    jar_shas = []
    for prefix, artifact, package, boto3_name in SERVICES:
        model_file = newest_model(apis, prefix)
        model = json.loads(apis[model_file])
        meta = model["metadata"]
        iam_prefix = meta.get("signingName") or meta["endpointPrefix"]
        operations = sorted(model["operations"])
        js_classes = sorted(v["name"] for k, v in js_metadata.items()
                            if k == prefix or k == boto3_name or JS_ALIASES.get(k) == prefix
                            or v.get("prefix") == prefix)
        coordinate = f"software.amazon.awssdk:{artifact}:{args.java_sdk_version}"
        subprocess.run(["mvn", "-B", "-q", "dependency:copy", f"-Dartifact={coordinate}",
                        f"-DoutputDirectory={work}"], check=True)
        jar = work / f"{artifact}-{args.java_sdk_version}.jar"
        jar_shas.append(f"{coordinate} sha256 {sha256(jar)}")
        base = f"software/amazon/awssdk/services/{package}/"
        with zipfile.ZipFile(jar) as z:
            clients = [n[len(base):-len(".class")] for n in z.namelist()
                       if n.startswith(base) and n.endswith("Client.class") and "/" not in n[len(base):]
                       and not n.endswith("AsyncClient.class") and not n.startswith(base + "Default") and not n.startswith(base + "Delegating")]
            if len(clients) != 1:
                sys.exit(f"{coordinate}: expected one synchronous client interface, found {clients}")
            client_class = z.read(base + clients[0] + ".class")
        missing = [op for op in operations if (op[0].lower() + op[1:]).encode() not in client_class]
        if missing:
            print(f"note: {clients[0]} has no method named for {len(missing)} operations: {missing[:8]}",
                  file=sys.stderr)
        v3_package = "@aws-sdk/client-" + meta["serviceId"].lower().replace(" ", "-")
        rows.append("\t".join([iam_prefix, meta["serviceId"], model_file, boto3_name, ",".join(js_classes),
                               clients[0], v3_package, ",".join(operations)]))
    out = pathlib.Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    header = [
        "# AWS service operations, from the AWS SDKs' own service models. Generated by tools/aws-service-models.py;",
        "# do not edit by hand (IAM exceptions live in iam-exceptions.tsv).",
        f"# npm aws-sdk@{args.aws_sdk_version} sha256 {sha256(tgz)} (apis/*.min.json, apis/metadata.json)",
        *[f"# maven {s}" for s in jar_shas],
        f"# generated {datetime.date.today().isoformat()}",
        "# columns: IAM prefix (metadata.signingName, else endpointPrefix), serviceId, model file, boto3 name,"
        " SDK v2 JavaScript classes, Java SDK v2 client, SDK v3 package, operations",
    ]
    out.write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
