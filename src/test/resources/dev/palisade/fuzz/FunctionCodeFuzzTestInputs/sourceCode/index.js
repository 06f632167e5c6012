'use strict';
const AWS = require('aws-sdk');
const { SecretsManager } = require('aws-sdk');

const docClient = new AWS.DynamoDB.DocumentClient();
const secrets = new SecretsManager({ region: 'eu-west-1' });
const TABLE = process.env.TABLE_NAME;

function lambdaClient() {
  return new AWS.Lambda();
}

exports.handler = async (event) => {
  const url = 'https://example.com/a//b'; // a URL in a string is not a comment
  const re = /\/\/ s3.deleteObject()/g;
  await docClient.put({ TableName: TABLE, Item: event }).promise();
  const rows = await docClient.query({ TableName: TABLE, KeyConditionExpression: 'pk = :p' }).promise();
  const obj = await new AWS.S3().getObject({ Bucket: 'static-assets', Key: 'a.json' }).promise();
  const params = { SecretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf' };
  await secrets.getSecretValue(params).promise();
  await lambdaClient().invoke({ FunctionName: 'audit', Payload: '{}' }).promise();
  const method = event.method;
  await docClient[method]({ TableName: TABLE }).promise();
  /* docClient.delete({}) */
  return `done ${rows.Count} ${obj.ETag} ${url} ${re}`;
};
