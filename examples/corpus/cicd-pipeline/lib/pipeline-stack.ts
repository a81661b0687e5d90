import * as cdk from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { WebAppStage } from './web-app-stage';

export interface PipelineStackProps extends cdk.StackProps {
  readonly repository: string;
  readonly branch: string;
}

export class PipelineStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);

    const source = pipelines.CodePipelineSource.connection(props.repository, props.branch, {
      connectionArn: 'arn:aws:codeconnections:us-east-1:999988887777:connection/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    });

    const pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      pipelineName: 'storefront',
      crossAccountKeys: true,
      synth: new pipelines.ShellStep('Synth', {
        input: source,
        commands: ['npm ci', 'npm run build', 'npx cdk synth'],
        env: { NODE_OPTIONS: '--max-old-space-size=4096' },
      }),
      codeBuildDefaults: {
        buildEnvironment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0, computeType: codebuild.ComputeType.MEDIUM },
        rolePolicy: [new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: ['arn:aws:iam::*:role/cdk-*'] })],
      },
      dockerEnabledForSynth: false,
    });

    const beta = new WebAppStage(this, 'Beta', { env: { account: '111111111111', region: 'us-east-1' } });
    pipeline.addStage(beta, {
      post: [new pipelines.ShellStep('SmokeTest', {
        envFromCfnOutputs: { URL: beta.url },
        commands: ['curl -sf "$URL"'],
      })],
    });

    const wave = pipeline.addWave('Production');
    for (const [name, region] of [['ProdUsEast', 'us-east-1'], ['ProdEuWest', 'eu-west-1']]) {
      wave.addStage(new WebAppStage(this, name, { env: { account: '222222222222', region } }), {
        pre: [new pipelines.ManualApprovalStep(`Approve${name}`, { comment: `promote to ${region}` })],
      });
    }
  }
}
