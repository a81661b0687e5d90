'use strict';

exports.handler = async (event) => {
  const name = (event.pathParameters && event.pathParameters.name) || 'world';
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ greeting: `${process.env.GREETING || 'Hello'}, ${name}!` }),
  };
};
