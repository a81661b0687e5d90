"""An ordinary Python CDK app, the benchmark's workload (the example app of
examples/cdk-app, written in Python).

Usage: python cdk_app.py --outdir DIR --units N --report FILE

Stacks of queue-driven service units (12 CloudFormation resources each), a shared stack, a
monitoring stack; every stack is a Python subclass of `Stack` that overrides
`_allocate_logical_id` (the kernel calls it back for every resource), every unit is a
Python subclass of `Construct` whose alarm has a Python `IAlarmAction` (called back to
bind), and a Python aspect (`IAspect` implemented in Python) visits every construct.
Templates are deterministic: no analytics, no assets, no time (construct creation stacks
in the metadata files name the runtime's frames, so those differ between runtimes).
Resources: 6 + 12 * units + (service stacks) + 1.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_report  # noqa: E402  (starts the clock)

parser = argparse.ArgumentParser()
parser.add_argument("--outdir", required=True)
parser.add_argument("--units", type=int, required=True)
parser.add_argument("--report", required=True)
options = parser.parse_args()

import jsii  # noqa: E402

bench_report.phase("import")
bench_report.start_runtime()
bench_report.phase("start")

import aws_cdk as cdk  # noqa: E402
from aws_cdk import (  # noqa: E402
    aws_cloudwatch as cloudwatch,
    aws_iam as iam,
    aws_kms as kms,
    aws_lambda as lambda_,
    aws_lambda_event_sources as event_sources,
    aws_s3 as s3,
    aws_sns as sns,
    aws_sns_subscriptions as subscriptions,
    aws_sqs as sqs,
)
from constructs import Construct, IConstruct  # noqa: E402

bench_report.phase("load")

SERVICE_STACKS = 5
QUEUES_PER_DASHBOARD_SERVICE = 3
HANDLER_SOURCE = "\n".join([
    "exports.handler = async (event) => {",
    "  console.log('records', event.Records.length, process.env.BUCKET_NAME);",
    "  return { batchItemFailures: [] };",
    "};",
])

allocations = {"count": 0}


class AuditedStack(cdk.Stack):
    """A Stack whose logical ids the kernel asks Python for (and which defers to the library)."""

    def _allocate_logical_id(self, cfn_element: cdk.CfnElement) -> str:
        allocations["count"] += 1
        return super()._allocate_logical_id(cfn_element)


class ServiceUnit(Construct):
    """A queue-driven service: DLQ, queue, topic + subscription, bucket, role, function, alarm."""

    def __init__(self, scope: Construct, id: str, *, index: int, shared: dict) -> None:
        super().__init__(scope, id)
        dead_letters = sqs.Queue(
            self, "DeadLetters",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            retention_period=cdk.Duration.days(14),
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        self.queue = sqs.Queue(
            self, "Work",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            visibility_timeout=cdk.Duration.seconds(60 + (index % 5) * 30),
            dead_letter_queue=sqs.DeadLetterQueue(queue=dead_letters, max_receive_count=3 + (index % 3)),
        )
        queue_name = self.queue.queue_name
        self.topic = sns.Topic(self, "Events", display_name="%s events" % id)
        self.topic.add_subscription(subscriptions.SqsSubscription(self.queue, raw_message_delivery=index % 2 == 0))

        self.bucket = s3.Bucket(
            self, "Store",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            versioned=index % 2 == 1,
            enforce_ssl=True,
            removal_policy=cdk.RemovalPolicy.DESTROY if index % 4 == 0 else cdk.RemovalPolicy.RETAIN,
            lifecycle_rules=[
                s3.LifecycleRule(id="expire-scratch", prefix="scratch/", expiration=cdk.Duration.days(7 + (index % 7))),
                s3.LifecycleRule(
                    id="archive",
                    transitions=[s3.Transition(storage_class=s3.StorageClass.INFREQUENT_ACCESS, transition_after=cdk.Duration.days(30))],
                ),
            ],
        )
        bucket_name = self.bucket.bucket_name
        if not cdk.Token.is_unresolved(bucket_name):
            raise ValueError("expected a token for the bucket name, got %s" % bucket_name)

        self.role = iam.Role(
            self, "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Runs %s" % self.node.path,
            max_session_duration=cdk.Duration.hours(1),
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AWSLambdaBasicExecutionRole")],
        )
        self.bucket.grant_read_write(self.role)
        self.topic.grant_publish(self.role)
        shared["alerts_topic"].grant_publish(self.role)
        shared["artifacts_bucket"].grant_read(self.role, "releases/*")
        self.role.add_to_principal_policy(iam.PolicyStatement(
            effect=iam.Effect.ALLOW,
            actions=["s3:GetObjectTagging"],
            resources=[cdk.Fn.sub("arn:${AWS::Partition}:s3:::${Name}/tags/*", {"Name": bucket_name})],
        ))

        self.handler = lambda_.Function(
            self, "Handler",
            runtime=lambda_.Runtime.NODEJS_24_X,
            handler="index.handler",
            code=lambda_.Code.from_inline(HANDLER_SOURCE),
            role=self.role,
            timeout=cdk.Duration.seconds(30),
            memory_size=128 * (1 + (index % 4)),
            architecture=lambda_.Architecture.ARM_64 if index % 2 == 0 else lambda_.Architecture.X86_64,
            description="Consumes %s" % queue_name,
            environment={
                "QUEUE_URL": self.queue.queue_url,
                "BUCKET_NAME": bucket_name,
                "TOPIC_NAME": cdk.Fn.select(5, cdk.Fn.split(":", self.topic.topic_arn)),
                "ALERTS_TOPIC_ARN": shared["alerts_topic"].topic_arn,
                "CONFIG": cdk.Fn.import_value(shared["config_export_name"]),
                "REGION": cdk.Stack.of(self).region,
            },
        )
        self.handler.add_event_source(event_sources.SqsEventSource(self.queue, batch_size=5 + (index % 6), report_batch_item_failures=True))

        alarm = cloudwatch.Alarm(
            self, "Backlog",
            metric=self.queue.metric_approximate_number_of_messages_visible(period=cdk.Duration.minutes(5)),
            threshold=100 + index,
            evaluation_periods=3,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=cdk.Fn.join(" ", ["Backlog on", queue_name]),
        )
        alarm.add_alarm_action(_SnsAction(shared["alerts_topic"]))

        # An escape hatch: the L1 resource behind the L2 queue, reached through `default_child`.
        self.queue.node.default_child.add_property_override("ReceiveMessageWaitTimeSeconds", 20)


@jsii.implements(cloudwatch.IAlarmAction)
class _SnsAction:
    """An alarm action implemented in Python (the kernel calls `bind` back)."""

    def __init__(self, topic: sns.ITopic) -> None:
        self.topic = topic

    def bind(self, scope: Construct, alarm: cloudwatch.IAlarm) -> cloudwatch.AlarmActionConfig:
        return cloudwatch.AlarmActionConfig(alarm_action_arn=self.topic.topic_arn)


class SharedStack(AuditedStack):
    def __init__(self, scope: Construct, id: str, *, config_value: str, **kwargs) -> None:
        super().__init__(scope, id, **kwargs)
        key = kms.Key(
            self, "AuditKey",
            description="Encrypts the audit queue",
            enable_key_rotation=True,
            removal_policy=cdk.RemovalPolicy.DESTROY,
            pending_window=cdk.Duration.days(7),
        )
        sqs.Queue(self, "AuditQueue", encryption=sqs.QueueEncryption.KMS, encryption_master_key=key, retention_period=cdk.Duration.days(4))
        alerts = sns.Topic(self, "Alerts", display_name="Service alerts")
        sns.Subscription(self, "OnCall", topic=alerts, protocol=sns.SubscriptionProtocol.EMAIL, endpoint="oncall@example.com")
        artifacts = s3.Bucket(
            self, "Artifacts",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            versioned=True,
            enforce_ssl=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        export_name = "%s-config" % self.stack_name
        cdk.CfnOutput(self, "Config", value=config_value, export_name=export_name, description="Configuration shared by every service function")
        cdk.CfnOutput(self, "AlertsTopicName", value=alerts.topic_name)
        self.shared = {"alerts_topic": alerts, "artifacts_bucket": artifacts, "config_export_name": export_name}


class ServiceStack(AuditedStack):
    def __init__(self, scope: Construct, id: str, *, shared: dict, first_unit: int, units: int, **kwargs) -> None:
        super().__init__(scope, id, **kwargs)
        self.units = [ServiceUnit(self, "Unit%03d" % (first_unit + i), index=first_unit + i, shared=shared) for i in range(units)]
        ops = sns.Topic(self, "Ops", display_name="%s operations" % id)
        for unit in self.units:
            ops.grant_publish(unit.role)
        first = self.units[0]
        cdk.CfnOutput(self, "FirstQueueUrl", value=first.queue.queue_url)
        cdk.CfnOutput(self, "Summary", value=cdk.Fn.join(",", [first.bucket.bucket_name, first.handler.function_arn, cdk.Aws.ACCOUNT_ID]))
        cdk.Tags.of(self).add("service-group", id)
        cdk.Tags.of(self).add("units", str(units), include_resource_types=["AWS::Lambda::Function"])


class MonitoringStack(AuditedStack):
    def __init__(self, scope: Construct, id: str, *, services: list, **kwargs) -> None:
        super().__init__(scope, id, **kwargs)
        dashboard = cloudwatch.Dashboard(self, "Dashboard", dashboard_name="jsii-ring-python-example", default_interval=cdk.Duration.hours(3))
        for service in services:
            queues = [unit.queue for unit in service.units[:QUEUES_PER_DASHBOARD_SERVICE]]
            dashboard.add_widgets(cloudwatch.GraphWidget(
                title="%s backlog" % service.stack_name,
                left=[queue.metric_approximate_number_of_messages_visible() for queue in queues],
                width=12,
            ))


@jsii.implements(cdk.IAspect)
class AuditAspect:
    """Counts constructs and resources; records each function's path; marks queues."""

    def __init__(self) -> None:
        self.visits = 0
        self.visited = set()
        self.resources = set()
        self.by_type = {}

    def visit(self, node: IConstruct) -> None:
        self.visits += 1
        path = node.node.path
        if path in self.visited:
            return
        self.visited.add(path)
        if not cdk.CfnResource.is_cfn_resource(node):
            return
        resource_type = node.cfn_resource_type
        self.resources.add(path)
        self.by_type[resource_type] = self.by_type.get(resource_type, 0) + 1
        if resource_type == "AWS::Lambda::Function":
            node.add_property_override("Environment.Variables.CONSTRUCT_PATH", path)
        elif resource_type == "AWS::SQS::Queue":
            node.add_metadata("Audit", {"auditedBy": "AuditAspect", "depth": len(path.split("/"))})


units = max(2, options.units)
service_stacks = min(SERVICE_STACKS, units)
app = cdk.App(outdir=options.outdir, analytics_reporting=False)
cdk.Tags.of(app).add("project", "jsii-ring-python-example")
cdk.Tags.of(app).add("cost-center", "research")
stack_props = {"description": "jsii-ring Python example app", "termination_protection": False}
shared = SharedStack(app, "Shared", config_value="mode=example;retries=3", **stack_props)
services = []
first_unit = 0
for s in range(service_stacks):
    count = units // service_stacks + (1 if s < units % service_stacks else 0)
    services.append(ServiceStack(app, "Services%d" % (s + 1), shared=shared.shared, first_unit=first_unit, units=count, **stack_props))
    first_unit += count
MonitoringStack(app, "Monitoring", services=services, **stack_props)
aspect = AuditAspect()
cdk.Aspects.of(app).add(aspect)
bench_report.flush()
bench_report.phase("build")

app.synth()
bench_report.flush()
bench_report.phase("synth")

bench_report.write(
    options.report,
    units=units,
    stacks=1 + service_stacks + 1,
    aspect_visits=aspect.visits,
    aspect_resources=len(aspect.resources),
    resources_by_type=dict(sorted(aspect.by_type.items())),
    logical_id_allocations=allocations["count"],
)
