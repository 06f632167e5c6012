import json
import os
import boto3 as b3
from boto3 import client as make_client

TABLE_NAME = os.environ["ORDERS_TABLE"]
BUCKET = os.environ.get("RECEIPTS_BUCKET")

dynamodb = b3.resource("dynamodb")
table = dynamodb.Table(TABLE_NAME)


def _queue_client():
    return make_client("sqs")


sqs = _queue_client()
s3 = b3.client('s3')  # s3.delete_object(Bucket=BUCKET) in a comment is not a call
NOT_A_CALL = "s3.put_bucket_policy(Bucket='x')"
DOC = """
s3.delete_bucket(Bucket=BUCKET)
"""


def handler(event, context):
    order = json.loads(event["body"])
    table.put_item(Item=order)
    existing = table.get_item(Key={"id": order["id"]})
    s3.put_object(Bucket=BUCKET, Key=f"receipts/{order['id']}.json", Body=json.dumps(order))
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        print(page, existing)
    sqs.send_message(QueueUrl=os.environ["QUEUE_URL"], MessageBody="x")
    action = event.get("action", "head_object")
    getattr(s3, action)(Bucket=BUCKET, Key="x")
    return {"statusCode": 200}
