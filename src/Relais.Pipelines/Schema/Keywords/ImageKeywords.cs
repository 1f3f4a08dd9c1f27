using Relais.Pipelines.Schema.Engine;

namespace Relais.Pipelines.Schema.Keywords;

/// <summary><c>image</c> and <c>services</c>, with their executor options and pull policies.</summary>
internal static class ImageKeywords
{
    private static readonly StrShape PullPolicyName = new() { Values = ["always", "never", "if-not-present"] };

    private static readonly UnionShape PullPolicy = new(
        PullPolicyName,
        new ListShape(PullPolicyName) { Min = 1, Unique = true, Text = "a list of pull policies" });

    private static readonly StrShape User = new() { MinLength = 1, MaxLength = 255 };

    private static readonly MapShape Docker = new()
    {
        ["platform"] = Common.NonEmptyString,
        ["user"] = User,
    };

    private static readonly MapShape Kubernetes = new()
    {
        ["user"] = new UnionShape(User, Common.Integer) { Text = "a user name, a UID or `UID:GID`" },
    };

    private static readonly ListShape Entrypoint = new(Common.String) { Min = 1, Text = "a non-empty list of strings" };

    public static readonly UnionShape Image = new(Common.NonEmptyString, new MapShape
    {
        Required = ["name"],
        ["name"] = Common.NonEmptyString,
        ["entrypoint"] = Entrypoint,
        ["docker"] = Docker,
        ["kubernetes"] = Kubernetes,
        ["pull_policy"] = PullPolicy,
    })
    {
        Text = "an image name, or a hash with `name`",
    };

    private static readonly MapShape Service = new()
    {
        Required = ["name"],
        ["name"] = Common.NonEmptyString,
        ["entrypoint"] = Entrypoint,
        ["command"] = Common.Script,
        ["alias"] = Common.NonEmptyString,
        ["variables"] = Common.JobVariables,
        ["docker"] = Docker,
        ["kubernetes"] = Kubernetes,
        ["pull_policy"] = PullPolicy,
    };

    public static readonly ListShape Services = new(new UnionShape(Common.NonEmptyString, Service)
    {
        Text = "an image name, or a hash with `name`",
    })
    {
        Text = "a list of services",
    };
}
