package emulator

// Runtimes the emulator accepts and the rules that depend on the runtime.

// runtimes are wire values (CONTRADICTIONS.md #15): the 18 of the API reference (§5.6.2),
// today's "Supported Runtimes" of the FunctionGraph user guide, and "Custom Image", which
// Huawei Cloud's SDK lists for custom-image functions. Display names such as "Python 3.9"
// (the §5.3.1 query spelling) are not runtimes and answer FSS.1005.
var runtimes = map[string]bool{
	// 2023 API reference
	"Java8": true, "Java11": true, "Node.js6.10": true, "Node.js8.10": true, "Node.js10.16": true,
	"Node.js12.13": true, "Node.js14.18": true, "Python2.7": true, "Python3.6": true, "Go1.8": true,
	"Go1.x": true, "C#(.NET Core 2.0)": true, "C#(.NET Core 2.1)": true, "C#(.NET Core 3.1)": true,
	"Custom": true, "PHP7.3": true, "Python3.9": true, "http": true,
	// user guide, Supported Runtimes
	"Node.js16.17": true, "Node.js18.15": true, "Node.js20.15": true,
	"Python3.10": true, "Python3.12": true,
	"Java17": true, "Java21": true,
	"C#(.NET Core 6.0)": true, "C#(.NET Core 8.0)": true,
	"PHP8.3": true, "Cangjie1.0": true,
	// Huawei Cloud SDK enum
	"Custom Image": true,
}

func handlerNeedsPeriod(runtime string, img *customImage) bool {
	if runtime == "Custom" || runtime == "http" || runtime == "Custom Image" {
		return false // "handler": "bootstrap" with runtime Custom (§5.6.7)
	}
	return !(img != nil && img.Enabled)
}
