using Relais.TestSupport;

namespace Relais.Runner.Tests.Conformance;

/// <summary>
/// A fact of the shared executor conformance suite (compiled in from the runner's tests), skipped with the reason where
/// no Docker engine with the test images answers, so the suite shows as skipped instead of vanishing from the run.
/// </summary>
public sealed class ConformanceFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when Docker is missing.</summary>
    public ConformanceFactAttribute()
    {
        if (DockerTest.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
