import pulumi
import pulumi_fgs as fgs

config = pulumi.Config()
memory_size = config.get_int("memorySize") or 256
canary_weight = config.get_int("canaryWeight")
if canary_weight is None:
    canary_weight = 10

# A dependency package the function loads beside its code.
libs = fgs.DependencyVersion(
    "libs",
    name="shared-greetings",
    runtime="Python3.9",
    description="Shared helpers.",
    code=pulumi.FileArchive("./libs"),
)

# A Python function whose code is the ./app directory, zipped deterministically by the provider.
hello = fgs.Function(
    "hello",
    runtime=fgs.Runtime.PYTHON3_9,
    handler="index.handler",
    memory_size=memory_size,
    timeout=30,
    description="Says hello.",
    code=pulumi.FileArchive("./app"),
    environment={"GREETING": "hello"},
    secret_environment={"API_KEY": pulumi.Output.secret("not-a-real-key")},
    dependency_versions=[libs.version_id],
    tags={"team": "platform"},
)

# Runs the function every five minutes.
fgs.Trigger(
    "every-five-minutes",
    function_urn=hello.function_urn,
    type=fgs.TriggerType.TIMER,
    timer=fgs.TimerEventDataArgs(name="every-five-minutes", schedule_type=fgs.ScheduleType.RATE, schedule="5m"),
)

# Publishes the current code and configuration as an immutable version; new code publishes a new one.
release = fgs.FunctionVersion(
    "release",
    function_urn=hello.function_urn,
    description="Released by Pulumi.",
    digest=hello.digest,
)

# Routes traffic to the published version, and a canary share to the latest code.
live = fgs.Alias(
    "live",
    function_urn=hello.function_urn,
    name="live",
    function_version=release.version,
    description="Production traffic.",
    additional_version_weights={"latest": canary_weight},
)

# Retries and the failure destination of asynchronous calls through the alias.
fgs.AsyncInvokeConfig(
    "live-async",
    function_urn=live.alias_urn,
    max_async_event_age_in_seconds=3600,
    max_async_retry_attempts=2,
    on_failure=fgs.AsyncDestinationArgs(obs=fgs.AsyncObsDestinationArgs(bucket="failed-greetings", prefix="live/", expires=7)),
)

pulumi.export("functionUrn", hello.function_urn)
pulumi.export("functionName", hello.name)
pulumi.export("version", release.version)
pulumi.export("aliasUrn", live.alias_urn)
pulumi.export("dependencyVersionId", libs.version_id)
