import * as cdk from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { NamingStack, NamingStackProps } from './naming-stack';
import { MailerUnit, ThumbnailUnit } from './service-unit';

export class MigratedStack extends NamingStack {
  constructor(scope: Construct, id: string, props: NamingStackProps) {
    super(scope, id, props);

    this.pin('Media/Resource', 'MediaBucket');
    this.pin('Thumbnails/Queue/Resource', 'ThumbnailQueue');

    const media = new s3.Bucket(this, 'Media', { versioned: true });
    const thumbs = new ThumbnailUnit(this, 'Thumbnails', { memorySize: 1024 });
    new MailerUnit(this, 'Mailer');
    media.grantRead(thumbs.worker);

    new cdk.CfnOutput(this, 'MediaBucketName', { value: media.bucketName });
  }
}
