import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

/** Tags every taggable resource with a cost centre, unless it already has one. */
export class CostCenterTagger implements cdk.IAspect {
  constructor(private readonly costCenter: string) {}

  public visit(node: IConstruct): void {
    if (cdk.TagManager.isTaggable(node)) {
      const existing = node.tags.tagValues();
      if (!('cost-center' in existing)) {
        node.tags.setTag('cost-center', this.costCenter, 50);
      }
    }
  }
}

/** Every bucket must be encrypted: fixes unencrypted ones and warns about them. */
export class BucketEncryptionEnforcer implements cdk.IAspect {
  public visit(node: IConstruct): void {
    if (node instanceof s3.CfnBucket) {
      if (!node.bucketEncryption) {
        node.bucketEncryption = {
          serverSideEncryptionConfiguration: [{
            serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' },
            bucketKeyEnabled: true,
          }],
        };
        cdk.Annotations.of(node).addWarningV2('governance:unencrypted-bucket',
          'bucket had no encryption; aws:kms was applied by BucketEncryptionEnforcer');
      }
      if (!node.versioningConfiguration) {
        cdk.Annotations.of(node).addInfo('versioning is off for this bucket');
      }
    }
  }
}

/** Stateful resources in production-like stacks are retained on delete. */
export class RetainStatefulResources implements cdk.IAspect {
  private count = 0;

  public visit(node: IConstruct): void {
    if (node instanceof dynamodb.CfnTable || node instanceof s3.CfnBucket) {
      node.applyRemovalPolicy(cdk.RemovalPolicy.RETAIN);
      this.count += 1;
      node.addMetadata('governance:retained-index', this.count);
    }
  }
}
