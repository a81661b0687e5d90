'use strict';

// CloudFormation custom resource: returns a stamp built from the resource properties.
exports.handler = async (event) => {
  const props = event.ResourceProperties || {};
  return {
    PhysicalResourceId: `stamp-${props.Prefix}`,
    Data: { Stamp: `${props.Prefix}:${props.Version}` },
  };
};
