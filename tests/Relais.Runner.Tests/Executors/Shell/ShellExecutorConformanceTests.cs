using Relais.Runner.Executors;
using Relais.Runner.Executors.Shell;
using Relais.Runner.Tests.Conformance;

namespace Relais.Runner.Tests.Executors.Shell;

/// <summary>The shell executor against the shared conformance suite.</summary>
public sealed class ShellExecutorConformanceTests : ExecutorConformanceTests
{
    protected override IExecutor CreateExecutor(string buildsDir) =>
        new ShellExecutor(new ShellExecutorOptions { BuildsDir = buildsDir, KillGracePeriod = TimeSpan.FromSeconds(2) });
}

/// <summary>The shell executor with POSIX <c>sh</c> (dash on Debian), its fallback when bash is missing.</summary>
public sealed class ShExecutorConformanceTests : ExecutorConformanceTests
{
    protected override IExecutor CreateExecutor(string buildsDir) =>
        new ShellExecutor(new ShellExecutorOptions { BuildsDir = buildsDir, Shell = "sh", KillGracePeriod = TimeSpan.FromSeconds(2) });
}
