package provider

import (
	"context"

	p "github.com/pulumi/pulumi-go-provider"
	comProvider "github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	rpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// The engine tells a provider whether an invoke runs in a preview (the `preview` field of its gRPC
// InvokeRequest, sent by engines that announce `invoke_with_preview` in the handshake, as v3.259.0 does),
// but pulumi-go-provider v1.5.0 drops that field on the way to an infer function (p.InvokeRequest has only
// the token and the arguments). Serve puts the plugin's gRPC server behind previewAwareServer, which carries
// the field into the context, where invokeFunction reads it with invokeIsPreview.

// Serve runs the provider as the plugin the engine starts.
func Serve(ctx context.Context, version string) error {
	prov, err := New()
	if err != nil {
		return err
	}
	return comProvider.MainContext(ctx, Name, func(host *comProvider.HostClient) (rpc.ResourceProviderServer, error) {
		return newPreviewAwareServer(prov, version, host)
	})
}

func newPreviewAwareServer(prov p.Provider, version string, host *comProvider.HostClient) (rpc.ResourceProviderServer, error) {
	srv, err := p.RawServer(Name, version, prov)(host)
	if err != nil {
		return nil, err
	}
	return previewAwareServer{srv}, nil
}

// previewAwareServer is the provider's gRPC server with the invoke's preview flag passed on in the context.
type previewAwareServer struct {
	rpc.ResourceProviderServer
}

type invokePreviewKey struct{}

// Invoke passes the request on, with its preview flag in the context.
func (s previewAwareServer) Invoke(ctx context.Context, req *rpc.InvokeRequest) (*rpc.InvokeResponse, error) {
	return s.ResourceProviderServer.Invoke(context.WithValue(ctx, invokePreviewKey{}, req.GetPreview()), req)
}

// invokeIsPreview reports whether the engine said that the invoke runs in a preview. Without the flag (an
// engine that does not send it, or a caller that is not the engine) it reports false.
func invokeIsPreview(ctx context.Context) bool {
	preview, _ := ctx.Value(invokePreviewKey{}).(bool)
	return preview
}
