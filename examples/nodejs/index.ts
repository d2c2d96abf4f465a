import * as pulumi from "@pulumi/pulumi";
import * as fgs from "@fgs-iac/fgs";

const config = new pulumi.Config();
const memorySize = config.getNumber("memorySize") ?? 256;

// A Python function whose code is the ./app directory, zipped deterministically by the provider.
const hello = new fgs.Function("hello", {
    runtime: fgs.Runtime.Python3_9,
    handler: "index.handler",
    memorySize: memorySize,
    timeout: 30,
    description: "Says hello.",
    code: new pulumi.asset.FileArchive("./app"),
    environment: { GREETING: "hello" },
    secretEnvironment: { API_KEY: pulumi.secret("not-a-real-key") },
    tags: { team: "platform" },
});

export const functionUrn = hello.functionUrn;
export const functionName = hello.name;
