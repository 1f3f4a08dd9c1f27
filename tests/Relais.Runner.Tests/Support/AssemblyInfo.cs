// The runner's tests use real bash, git and process groups: they run on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
