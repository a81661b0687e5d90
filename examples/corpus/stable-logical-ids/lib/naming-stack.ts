import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface NamingStackProps extends cdk.StackProps {
  readonly prefix: string;
}

/**
 * A stack migrated from hand-written CloudFormation: logical IDs must stay the
 * short, human ones the old template used, so CloudFormation does not replace resources.
 */
export class NamingStack extends cdk.Stack {
  private readonly prefix: string;
  private readonly pinned = new Map<string, string>();

  constructor(scope: Construct, id: string, props: NamingStackProps) {
    super(scope, id, props);
    this.prefix = props.prefix;
  }

  /** Pins the logical ID of the resource at a construct path (relative to the stack). */
  public pin(path: string, logicalId: string): void {
    this.pinned.set(path, logicalId);
  }

  protected allocateLogicalId(cfnElement: cdk.CfnElement): string {
    const path = cfnElement.node.path.split('/').slice(1).join('/');
    const pinned = this.pinned.get(path);
    if (pinned) {
      return pinned;
    }
    const parts = cfnElement.node.scopes.slice(2).map((c) => c.node.id)
      .filter((p) => p !== 'Resource' && p !== 'Default');
    const human = parts.join('').replace(/[^A-Za-z0-9]/g, '');
    return `${this.prefix}${human}`.slice(0, 255);
  }
}
