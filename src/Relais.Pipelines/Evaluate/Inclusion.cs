using System.Collections.Immutable;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Evaluate;

/// <summary>
/// Whether a job is in the pipeline and what the deciding rule set: its <c>when</c>, <c>start_in</c>,
/// <c>allow_failure</c>, <c>needs</c>, <c>variables</c> and <c>interruptible</c> override the job's own.
/// </summary>
internal sealed record Inclusion(bool Included, string Reason, ImmutableArray<string> Steps, SourceLocation Location)
{
    public string? When { get; init; }

    public YamlNode? StartIn { get; init; }

    public YamlNode? AllowFailure { get; init; }

    public YamlNode? Needs { get; init; }

    public YamlMapping? Variables { get; init; }

    public bool? Interruptible { get; init; }

    /// <summary>True when <c>rules</c> decided (manual jobs from rules default to <c>allow_failure: false</c>).</summary>
    public bool FromRules { get; init; }
}
