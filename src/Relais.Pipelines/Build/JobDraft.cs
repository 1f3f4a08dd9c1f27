using Relais.Pipelines.Plan;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Build;

/// <summary>A built job whose <c>needs</c> and <c>dependencies</c> still name jobs as written; the needs stage resolves them.</summary>
internal sealed record JobDraft(JobPlan Plan, YamlNode? Needs, YamlNode? Dependencies, SourceLocation NeedsLocation);
