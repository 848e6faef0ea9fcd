// The media engine is part of the SDK's surface (DESIGN.md: CLI → SDK → Media): `import WebexSDK` gives a
// program the media types (MediaSession, devices, codecs) as well. Nothing here runs at load time; the media
// libraries that are shared objects are opened only when media starts.
@_exported import WebexMedia
