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
		// A Python function whose code is the ./app directory, zipped deterministically by the provider.
		hello, err := fgs.NewFunction(ctx, "hello", &fgs.FunctionArgs{
			Runtime:           fgs.Runtime_Python3_9,
			Handler:           pulumi.String("index.handler"),
			MemorySize:        pulumi.Int(memorySize),
			Timeout:           pulumi.Int(30),
			Description:       pulumi.String("Says hello."),
			Code:              pulumi.NewFileArchive("./app"),
			Environment:       pulumi.StringMap{"GREETING": pulumi.String("hello")},
			SecretEnvironment: pulumi.StringMap{"API_KEY": pulumi.ToSecret(pulumi.String("not-a-real-key")).(pulumi.StringOutput)},
			Tags:              pulumi.StringMap{"team": pulumi.String("platform")},
		})
		if err != nil {
			return err
		}
		ctx.Export("functionUrn", hello.FunctionUrn)
		ctx.Export("functionName", hello.Name)
		return nil
	})
}
