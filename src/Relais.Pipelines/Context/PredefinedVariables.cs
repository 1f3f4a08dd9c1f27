using System.Globalization;
using System.Text;
using Relais.Pipelines.Plan;

namespace Relais.Pipelines.Context;

/// <summary>
/// The predefined CI/CD variables that exist before any job does (what <c>rules:if</c> can see), in the
/// order GitLab sends them. Job-level ones (<c>CI_JOB_*</c>) are added when a job is dispatched.
/// </summary>
public static class PredefinedVariables
{
    public const string ServerVersion = "17.0.0";

    public static IReadOnlyList<PlanVariable> ForPipeline(PipelineContext c)
    {
        var server = new Uri(c.ServerUrl);
        var project = c.ProjectPath.Trim('/');
        var slash = project.LastIndexOf('/');
        var name = slash < 0 ? project : project[(slash + 1)..];
        var ns = slash < 0 ? "" : project[..slash];
        var (title, description) = SplitMessage(c.CommitMessage);
        var list = new List<PlanVariable>(64);
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                list.Add(new PlanVariable(key, value));
            }
        }

        Add("CI", "true");
        Add("GITLAB_CI", "true");
        Add("CI_SERVER_FQDN", server.Authority);
        Add("CI_SERVER_URL", server.GetLeftPart(UriPartial.Authority));
        Add("CI_SERVER_HOST", server.Host);
        Add("CI_SERVER_PORT", server.Port.ToString(CultureInfo.InvariantCulture));
        Add("CI_SERVER_PROTOCOL", server.Scheme);
        Add("CI_SERVER_NAME", "GitLab");
        Add("CI_SERVER_VERSION", ServerVersion);
        Add("CI_SERVER_VERSION_MAJOR", "17");
        Add("CI_SERVER_VERSION_MINOR", "0");
        Add("CI_SERVER_VERSION_PATCH", "0");
        Add("CI_PROJECT_ID", c.ProjectId.ToString(CultureInfo.InvariantCulture));
        Add("CI_PROJECT_NAME", name);
        Add("CI_PROJECT_TITLE", name);
        Add("CI_PROJECT_PATH", project);
        Add("CI_PROJECT_PATH_SLUG", Slug(project, 63));
        Add("CI_PROJECT_NAMESPACE", ns);
        Add("CI_PROJECT_ROOT_NAMESPACE", ns.Split('/')[0]);
        Add("CI_PROJECT_URL", c.ServerUrl.TrimEnd('/') + "/" + project);
        Add("CI_PROJECT_VISIBILITY", "private");
        Add("CI_DEFAULT_BRANCH", c.DefaultBranch);
        Add("CI_CONFIG_PATH", c.ConfigPath);
        if (c.RegistryAddress is { } registry)
        {
            Add("CI_REGISTRY", registry);
            Add("CI_REGISTRY_IMAGE", registry + "/" + project.ToLowerInvariant());
        }

        Add("CI_API_V4_URL", c.ServerUrl.TrimEnd('/') + "/api/v4");
        Add("CI_API_GRAPHQL_URL", c.ServerUrl.TrimEnd('/') + "/api/graphql");
        Add("CI_PIPELINE_ID", c.PipelineId.ToString(CultureInfo.InvariantCulture));
        Add("CI_PIPELINE_IID", c.PipelineIid.ToString(CultureInfo.InvariantCulture));
        Add("CI_PIPELINE_SOURCE", c.Source.ToName());
        if (c.Source == PipelineSource.Trigger)
        {
            Add("CI_PIPELINE_TRIGGERED", "true"); // a pipeline run with a trigger token, as GitLab marks it
        }

        Add("CI_PIPELINE_URL", $"{c.ServerUrl.TrimEnd('/')}/{project}/-/pipelines/{c.PipelineId}");
        if (c.User is { } user)
        {
            Add("GITLAB_USER_ID", user.Id.ToString(CultureInfo.InvariantCulture));
            Add("GITLAB_USER_LOGIN", user.Login);
            Add("GITLAB_USER_NAME", user.Name);
            Add("GITLAB_USER_EMAIL", user.Email);
        }

        Add("CI_COMMIT_SHA", c.Sha);
        Add("CI_COMMIT_SHORT_SHA", c.Sha.Length >= 8 ? c.Sha[..8] : c.Sha);
        Add("CI_COMMIT_BEFORE_SHA", c.BeforeSha ?? new string('0', 40));
        Add("CI_COMMIT_REF_NAME", c.Ref);
        Add("CI_COMMIT_REF_SLUG", Slug(c.Ref, 63));
        if (c.IsTag)
        {
            Add("CI_COMMIT_TAG", c.Ref);
        }
        else if (c.Source != PipelineSource.MergeRequestEvent)
        {
            Add("CI_COMMIT_BRANCH", c.Ref);
        }

        Add("CI_COMMIT_MESSAGE", c.CommitMessage);
        Add("CI_COMMIT_TITLE", title);
        Add("CI_COMMIT_DESCRIPTION", description);
        Add("CI_COMMIT_REF_PROTECTED", c.RefProtected ? "true" : "false");
        Add("CI_COMMIT_AUTHOR", c.CommitAuthor);
        Add("CI_COMMIT_TIMESTAMP", c.CommitTimestamp?.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
        foreach (var (key, value) in c.MergeRequestVariables)
        {
            Add(key, value);
        }

        return list;
    }

    /// <summary>GitLab's slug: lower-case, anything but <c>[a-z0-9]</c> to <c>-</c>, at most <paramref name="max"/> characters, no <c>-</c> at either end.</summary>
    public static string Slug(string value, int max)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var ch in value.ToLowerInvariant())
        {
            sb.Append(char.IsAsciiLetterOrDigit(ch) ? ch : '-');
        }

        var slug = sb.ToString();
        if (slug.Length > max)
        {
            slug = slug[..max];
        }

        return slug.Trim('-');
    }

    private static (string Title, string Description) SplitMessage(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0
            ? (message.TrimEnd('\r'), "")
            : (message[..newline].TrimEnd('\r'), message[(newline + 1)..].TrimStart('\r', '\n'));
    }
}
