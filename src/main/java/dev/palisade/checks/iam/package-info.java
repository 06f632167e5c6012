/**
 * What a function's code can do in AWS, read from its source without running it: the SDK calls of
 * Python (boto3), JavaScript (SDK v2 and v3) and Java (SDK v2), mapped to IAM actions through the SDKs'
 * own service models, and compared with what the function's role grants.
 */
@NullMarked
package dev.palisade.checks.iam;

import org.jspecify.annotations.NullMarked;
