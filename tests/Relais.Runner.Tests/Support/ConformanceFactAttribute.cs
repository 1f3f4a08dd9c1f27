namespace Relais.Runner.Tests.Conformance;

/// <summary>
/// A fact of the shared executor conformance suite. Each test assembly that compiles the suite in defines this
/// attribute: here (the shell executor) it always runs; the Docker tests' one skips, with the reason, without an engine.
/// </summary>
public sealed class ConformanceFactAttribute : FactAttribute;
