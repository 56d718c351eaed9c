package sibyl

// Version is the SDK's version. The release flow rewrites this line to the version of @sibyl/events, so the Go
// models always carry the version of the schemas they were generated from; the module is tagged
// packages/sdk-go/v<Version>.
const Version = "0.1.0"
