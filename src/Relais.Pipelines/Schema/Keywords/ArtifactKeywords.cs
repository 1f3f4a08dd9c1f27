using Relais.Pipelines.Schema.Engine;

namespace Relais.Pipelines.Schema.Keywords;

/// <summary><c>artifacts</c> and its <c>reports</c>.</summary>
internal static class ArtifactKeywords
{
    private static readonly Shape OnePath = Common.String;

    private static readonly Shape Paths = Common.StringOrStrings;

    private static readonly MapShape Reports = new()
    {
        Misplaced = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["performance"] = "it was renamed `browser_performance`",
        },
        ["accessibility"] = OnePath,
        ["annotations"] = OnePath,
        ["browser_performance"] = OnePath,
        // GitLab accepts an empty list here (only its editor's JSON schema forbids it).
        ["junit"] = Common.StringOrStrings,
        ["coverage_report"] = new MapShape
        {
            AllowNull = true,
            ["coverage_format"] = new StrShape { Values = ["cobertura", "jacoco"] },
            ["path"] = Common.NonEmptyString,
        },
        ["api_fuzzing"] = Paths,
        ["codequality"] = Paths,
        ["container_scanning"] = Paths,
        ["coverage_fuzzing"] = Paths,
        ["cyclonedx"] = Paths,
        ["dast"] = Paths,
        ["dependency_scanning"] = Paths,
        ["dotenv"] = Paths,
        ["license_management"] = Paths,
        ["license_scanning"] = Paths,
        ["load_performance"] = Paths,
        ["lsif"] = Paths,
        ["metrics"] = Paths,
        ["repository_xray"] = Paths,
        ["requirements"] = Paths,
        ["sarif"] = Paths,
        ["sast"] = Paths,
        ["secret_detection"] = Paths,
        ["terraform"] = Paths,
    };

    public static readonly MapShape Artifacts = new()
    {
        AllowNull = true,
        ["paths"] = Common.NonEmptyStrings,
        ["exclude"] = Common.NonEmptyStrings,
        ["expose_as"] = Common.String,
        ["name"] = Common.String,
        ["untracked"] = Common.Bool,
        ["when"] = new StrShape { Values = ["on_success", "on_failure", "always"] },
        ["access"] = new StrShape { Values = ["none", "developer", "maintainer", "all"] },
        ["public"] = Common.Bool,
        ["expire_in"] = Common.String,
        ["reports"] = Reports,
        Rules = [KeyRules.NotTogether("access", "public", "`access` replaces `public`")],
    };
}
