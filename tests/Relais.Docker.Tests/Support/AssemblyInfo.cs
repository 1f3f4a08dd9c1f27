// The tests use the real engine, real containers and /proc: Linux only. They run one at a time: the machine has few
// cores, and the process checks of the conformance suite look at the one running script container.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
[assembly: CollectionBehavior(DisableTestParallelization = true)]
