using Relais.Pipelines.Schema.Engine;

namespace Relais.Pipelines.Schema.Keywords;

/// <summary><c>secrets</c> (one external provider per secret) and <c>id_tokens</c>.</summary>
internal static class SecretKeywords
{
    private static readonly string[] Providers =
        ["vault", "gcp_secret_manager", "azure_key_vault", "aws_secrets_manager", "gitlab_secrets_manager"];

    public static readonly DictShape IdTokens = new(new MapShape
    {
        Required = ["aud"],
        ["aud"] = new UnionShape(Common.String, new ListShape(Common.String) { Min = 1, Unique = true, Text = "a list of audiences" }),
    });

    private static readonly UnionShape Vault = new(Common.String, new MapShape
    {
        Required = ["engine", "path", "field"],
        ["engine"] = new MapShape
        {
            Required = ["name", "path"],
            ["name"] = Common.String,
            ["path"] = Common.String,
        },
        ["path"] = Common.String,
        ["field"] = Common.String,
    })
    {
        Text = "a path like `production/db/password@ops`, or a hash with `engine`, `path` and `field`",
    };

    private static readonly MapShape Gcp = new()
    {
        Required = ["name"],
        ["name"] = Common.String,
        ["version"] = new UnionShape(Common.String, Common.Integer),
    };

    private static readonly MapShape Azure = new()
    {
        Required = ["name"],
        ["name"] = Common.String,
        ["version"] = Common.String,
    };

    private static readonly UnionShape Aws = new(Common.String, new MapShape
    {
        Required = ["secret_id"],
        ["secret_id"] = Common.String,
        ["version_id"] = Common.String,
        ["version_stage"] = Common.String,
        ["region"] = Common.String,
        ["role_arn"] = Common.String,
        ["role_session_name"] = Common.String,
        ["field"] = Common.String,
    })
    {
        Text = "a secret name or ARN, or a hash with `secret_id`",
    };

    private static readonly MapShape GitLab = new()
    {
        Required = ["name"],
        ["name"] = new StrShape { Pattern = Patterns.SecretName(), PatternText = "made of letters, digits and `_`" },
        ["source"] = Common.String,
    };

    public static readonly DictShape Secrets = new(new MapShape
    {
        ["vault"] = Vault,
        ["gcp_secret_manager"] = Gcp,
        ["azure_key_vault"] = Azure,
        ["aws_secrets_manager"] = Aws,
        ["gitlab_secrets_manager"] = GitLab,
        ["file"] = Common.Bool,
        ["token"] = Common.String,
        Rules = [KeyRules.AtLeastOne(Providers), KeyRules.Requires("gcp_secret_manager", "token")],
    });
}
