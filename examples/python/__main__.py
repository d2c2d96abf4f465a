import pulumi
import pulumi_fgs as fgs

config = pulumi.Config()
memory_size = config.get_int("memorySize") or 256

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
    tags={"team": "platform"},
)

pulumi.export("functionUrn", hello.function_urn)
pulumi.export("functionName", hello.name)
