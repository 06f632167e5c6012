import { S3Client, GetObjectCommand, PutObjectCommand as Put } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as sfn from '@aws-sdk/client-sfn';

const s3 = new S3Client({});
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const makeSfn = () => new sfn.SFNClient({});
const { BUCKET } = process.env;

export const handler = async (event) => {
  const input = { Bucket: BUCKET, Key: event.key };
  const object = await s3.send(new GetObjectCommand(input));
  await s3.send(new Put({ Bucket: BUCKET, Key: 'copy', Body: 'x' }));
  await ddb.send(new UpdateCommand({ TableName: process.env.TABLE, Key: { pk: 'a' } }));
  await makeSfn().send(new sfn.StartExecutionCommand({ stateMachineArn: process.env.STATE_MACHINE, input: '{}' }));
  const command = event.cmd;
  await s3.send(command);
  return object;
};
