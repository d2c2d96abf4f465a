package main

import (
	"github.com/fgs-iac/pulumi-fgs/sdk/go/fgs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		memorySize := config.GetInt(ctx, "memorySize")
		if memorySize == 0 {
			memorySize = 256
		}
		canaryWeight, err := config.TryInt(ctx, "canaryWeight")
		if err != nil {
			canaryWeight = 10
		}
		// A dependency package the function loads beside its code.
		libs, err := fgs.NewDependencyVersion(ctx, "libs", &fgs.DependencyVersionArgs{
			Name:        pulumi.String("shared-greetings"),
			Runtime:     pulumi.String("Python3.9"),
			Description: pulumi.String("Shared helpers."),
			Code:        pulumi.NewFileArchive("./libs"),
		})
		if err != nil {
			return err
		}
		// A Python function whose code is the ./app directory, zipped deterministically by the provider.
		hello, err := fgs.NewFunction(ctx, "hello", &fgs.FunctionArgs{
			Runtime:            fgs.Runtime_Python3_9,
			Handler:            pulumi.String("index.handler"),
			MemorySize:         pulumi.Int(memorySize),
			Timeout:            pulumi.Int(30),
			Description:        pulumi.String("Says hello."),
			Code:               pulumi.NewFileArchive("./app"),
			Environment:        pulumi.StringMap{"GREETING": pulumi.String("hello")},
			SecretEnvironment:  pulumi.StringMap{"API_KEY": pulumi.ToSecret(pulumi.String("not-a-real-key")).(pulumi.StringOutput)},
			DependencyVersions: pulumi.StringArray{libs.VersionId},
			Tags:               pulumi.StringMap{"team": pulumi.String("platform")},
		})
		if err != nil {
			return err
		}
		// Runs the function every five minutes.
		_, err = fgs.NewTrigger(ctx, "every-five-minutes", &fgs.TriggerArgs{
			FunctionUrn: hello.FunctionUrn,
			Type:        fgs.TriggerTypeTIMER,
			Timer: &fgs.TimerEventDataArgs{
				Name:         pulumi.String("every-five-minutes"),
				ScheduleType: fgs.ScheduleTypeRate,
				Schedule:     pulumi.String("5m"),
			},
		})
		if err != nil {
			return err
		}
		// Publishes the current code and configuration as an immutable version; new code publishes a new one.
		release, err := fgs.NewFunctionVersion(ctx, "release", &fgs.FunctionVersionArgs{
			FunctionUrn: hello.FunctionUrn,
			Description: pulumi.String("Released by Pulumi."),
			Digest:      hello.Digest,
		})
		if err != nil {
			return err
		}
		// Routes traffic to the published version, and a canary share to the latest code.
		live, err := fgs.NewAlias(ctx, "live", &fgs.AliasArgs{
			FunctionUrn:              hello.FunctionUrn,
			Name:                     pulumi.String("live"),
			FunctionVersion:          release.Version,
			Description:              pulumi.String("Production traffic."),
			AdditionalVersionWeights: pulumi.IntMap{"latest": pulumi.Int(canaryWeight)},
		})
		if err != nil {
			return err
		}
		// Retries and the failure destination of asynchronous calls through the alias.
		_, err = fgs.NewAsyncInvokeConfig(ctx, "live-async", &fgs.AsyncInvokeConfigArgs{
			FunctionUrn:               live.AliasUrn,
			MaxAsyncEventAgeInSeconds: pulumi.Int(3600),
			MaxAsyncRetryAttempts:     pulumi.Int(2),
			OnFailure: &fgs.AsyncDestinationArgs{
				Obs: &fgs.AsyncObsDestinationArgs{Bucket: pulumi.String("failed-greetings"), Prefix: pulumi.String("live/"), Expires: pulumi.Int(7)},
			},
		})
		if err != nil {
			return err
		}
		ctx.Export("functionUrn", hello.FunctionUrn)
		ctx.Export("functionName", hello.Name)
		ctx.Export("version", release.Version)
		ctx.Export("aliasUrn", live.AliasUrn)
		ctx.Export("dependencyVersionId", libs.VersionId)
		return nil
	})
}
