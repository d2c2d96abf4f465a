package emulator

// Runtimes the emulator accepts and the rules that depend on the runtime.

// runtimes: the 18 documented wire values (§5.6.2) plus Python3.10, which the vendor's
// Python SDK examples use.
var runtimes = map[string]bool{
	"Java8": true, "Java11": true, "Node.js6.10": true, "Node.js8.10": true, "Node.js10.16": true,
	"Node.js12.13": true, "Node.js14.18": true, "Python2.7": true, "Python3.6": true, "Go1.8": true,
	"Go1.x": true, "C#(.NET Core 2.0)": true, "C#(.NET Core 2.1)": true, "C#(.NET Core 3.1)": true,
	"Custom": true, "PHP7.3": true, "Python3.9": true, "http": true, "Python3.10": true,
}

func handlerNeedsPeriod(runtime string, img *customImage) bool {
	if runtime == "Custom" || runtime == "http" {
		return false // "handler": "bootstrap" with runtime Custom (§5.6.7)
	}
	return !(img != nil && img.Enabled)
}
