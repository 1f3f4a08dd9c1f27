using Relais.Pipelines.Schema.Engine;

namespace Relais.Pipelines.Schema.Keywords;

/// <summary>
/// <c>trigger</c>: a downstream project (a path, or a hash with <c>project</c>), or a child pipeline
/// (a hash with <c>include</c>).
/// </summary>
internal static class TriggerKeywords
{
    private static readonly StrShape Strategy = new() { Values = ["depend", "mirror"] };

    private static readonly MapShape Forward = new()
    {
        ["yaml_variables"] = Common.Bool,
        ["pipeline_variables"] = Common.Bool,
    };

    private static readonly MapShape MultiProject = new()
    {
        Required = ["project"],
        ["project"] = Common.ProjectPath,
        ["branch"] = Common.String,
        ["strategy"] = Strategy,
        ["inputs"] = IncludeKeywords.Inputs,
        ["forward"] = Forward,
    };

    /// <summary>One file of a child pipeline: the same forms as <c>include</c>, plus an artifact of another job.</summary>
    private static readonly FormsShape ChildFile = new(
        ("local", new MapShape
        {
            ["local"] = Common.YamlPath,
            ["inputs"] = IncludeKeywords.Inputs,
        }),
        ("template", new MapShape
        {
            ["template"] = Common.YamlPath,
            ["inputs"] = IncludeKeywords.Inputs,
        }),
        ("artifact", new MapShape
        {
            Required = ["artifact", "job"],
            ["artifact"] = Common.YamlPath,
            ["job"] = Common.String,
            ["inputs"] = IncludeKeywords.Inputs,
        }),
        ("project", new MapShape
        {
            Required = ["project", "file"],
            ["project"] = Common.ProjectPath,
            ["ref"] = Common.NonEmptyString,
            ["file"] = Common.YamlPath,
            ["inputs"] = IncludeKeywords.Inputs,
        }),
        ("component", new MapShape
        {
            ["component"] = Common.String,
            ["inputs"] = IncludeKeywords.Inputs,
        }),
        ("remote", new MapShape
        {
            ["remote"] = IncludeKeywords.RemoteUrl,
            ["inputs"] = IncludeKeywords.Inputs,
        }));

    private static readonly MapShape ChildPipeline = new()
    {
        ["include"] = new UnionShape(Common.YamlPath, new ListShape(ChildFile) { Max = 3, Text = "a list of up to 3 files" })
        {
            Text = "a path to a YAML file, or a list of up to 3 files",
        },
        ["strategy"] = Strategy,
        ["forward"] = Forward,
    };

    public static readonly UnionShape Trigger = new(
        Common.ProjectPath,
        new FormsShape(("project", MultiProject), ("include", ChildPipeline)) { Fallback = ChildPipeline })
    {
        Text = "a project path, or a hash with `project` or `include`",
    };
}
