using Relais.Pipelines.Yaml;

namespace Relais.GitOps.Config;

/// <summary>One problem in the configuration folder, at the place a person has to edit.</summary>
public sealed record ConfigError(SourceLocation Location, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}
