import * as pulumi from "@pulumi/pulumi";
import * as fgs from "@fgs-iac/fgs";

const config = new pulumi.Config();
const memorySize = config.getNumber("memorySize") ?? 256;
const canaryWeight = config.getNumber("canaryWeight") ?? 10;

// A dependency package the function loads beside its code.
const libs = new fgs.DependencyVersion("libs", {
    name: "shared-greetings",
    runtime: "Python3.9",
    description: "Shared helpers.",
    code: new pulumi.asset.FileArchive("./libs"),
});

// The project's function quota, read before anything is deployed.
const quotas = fgs.getQuotasOutput();

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
    dependencyVersions: [libs.versionId],
    tags: { team: "platform" },
});

// Runs the function every five minutes.
new fgs.Trigger("every-five-minutes", {
    functionUrn: hello.functionUrn,
    type: fgs.TriggerType.TIMER,
    timer: { name: "every-five-minutes", scheduleType: fgs.ScheduleType.Rate, schedule: "5m" },
});

// Publishes the current code and configuration as an immutable version; new code publishes a new one.
const release = new fgs.FunctionVersion("release", {
    functionUrn: hello.functionUrn,
    description: "Released by Pulumi.",
    digest: hello.digest,
});

// Routes traffic to the published version, and a canary share to the latest code.
const live = new fgs.Alias("live", {
    functionUrn: hello.functionUrn,
    name: "live",
    functionVersion: release.version,
    description: "Production traffic.",
    additionalVersionWeights: { latest: canaryWeight },
});

// Retries and the failure destination of asynchronous calls through the alias.
new fgs.AsyncInvokeConfig("live-async", {
    functionUrn: live.aliasUrn,
    maxAsyncEventAgeInSeconds: 3600,
    maxAsyncRetryAttempts: 2,
    onFailure: { obs: { bucket: "failed-greetings", prefix: "live/", expires: 7 } },
});

// A smoke test of the deployed alias: each update calls it (a preview does not) and exports its answer.
const smoke = fgs.invokeFunctionOutput({ functionUrn: live.aliasUrn, payload: { from: "pulumi" } });

export const functionUrn = hello.functionUrn;
export const functionName = hello.name;
export const version = release.version;
export const aliasUrn = live.aliasUrn;
export const dependencyVersionId = libs.versionId;
export const functionQuota = quotas.quotas.apply(qs => qs.find(q => q.type === "fgs_func_num")?.quota);
export const smokeResult = smoke.result;
