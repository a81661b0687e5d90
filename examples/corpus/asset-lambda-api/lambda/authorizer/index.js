'use strict';

exports.handler = async (event) => {
  const allowed = event.authorizationToken === `Bearer ${process.env.EXPECTED_TOKEN}`;
  return {
    principalId: 'caller',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: allowed ? 'Allow' : 'Deny', Resource: event.methodArn }],
    },
  };
};
