using System.Globalization;
using Relais.Server.Storage;

namespace Relais.Server.Registry.Cleanup;

/// <summary>
/// What a project's cleanup policy may be set to (GitLab's allowed values and its model's validation messages), when
/// it runs next, and the <see cref="TagCleanupRules"/> it applies. Pure.
/// </summary>
public static class ExpirationPolicyRules
{
    /// <summary>The cadences and how long each waits (a month is 30 days, as GitLab's duration parser has it).</summary>
    public static readonly IReadOnlyDictionary<string, TimeSpan> Cadences = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["1d"] = TimeSpan.FromDays(1),
        ["7d"] = TimeSpan.FromDays(7),
        ["14d"] = TimeSpan.FromDays(14),
        ["1month"] = TimeSpan.FromDays(30),
        ["3month"] = TimeSpan.FromDays(90),
    };

    public static readonly IReadOnlyList<int> KeepNValues = [1, 5, 10, 25, 50, 100];

    public static readonly IReadOnlyList<string> OlderThanValues = ["7d", "14d", "30d", "60d", "90d"];

    /// <summary>The policy of a project that never set one: GitLab's defaults (off, daily, keep 10, older than 90 days, every name).</summary>
    public static ContainerExpirationPolicyRecord Default(long projectId) =>
        new() { ProjectId = projectId, Enabled = false, Cadence = "1d", KeepN = 10, OlderThan = "90d", NameRegex = ".*" };

    /// <summary>GitLab's validation errors of <paramref name="policy"/>, by field (<c>container_expiration_policy.cadence</c>…); empty when valid.</summary>
    public static IReadOnlyDictionary<string, string[]> Problems(ContainerExpirationPolicyRecord policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Add(string field, string problem) => problems["container_expiration_policy." + field] = [problem];
        if (!Cadences.ContainsKey(policy.Cadence))
        {
            Add("cadence", "is not included in the list");
        }

        if (policy.KeepN is { } keep && !KeepNValues.Contains(keep))
        {
            Add("keep_n", "is not included in the list");
        }

        if (policy.OlderThan is { } older && !OlderThanValues.Contains(older))
        {
            Add("older_than", "is not included in the list");
        }

        if (policy.Enabled)
        {
            if (string.IsNullOrWhiteSpace(policy.NameRegex))
            {
                Add("name_regex", "can't be blank");
            }
            else if (TagNamePattern.Parse(policy.NameRegex).Problem is { } problem)
            {
                Add("name_regex", "not valid RE2 syntax: " + problem);
            }

            if (TagNamePattern.Parse(policy.NameRegexKeep).Problem is { } keepProblem)
            {
                Add("name_regex_keep", "not valid RE2 syntax: " + keepProblem);
            }
        }

        return problems;
    }

    /// <summary>When a policy saved or run at <paramref name="now"/> runs next: now plus its cadence (GitLab moves it at every save).</summary>
    public static string NextRunAt(ContainerExpirationPolicyRecord policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return SqlKeyStore.StoredTime(now + Cadences.GetValueOrDefault(policy.Cadence, TimeSpan.FromDays(1)));
    }

    /// <summary>The tag rules a (valid) policy applies to each of its project's repositories.</summary>
    public static TagCleanupRules TagRules(ContainerExpirationPolicyRecord policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new TagCleanupRules
        {
            Delete = TagNamePattern.Parse(policy.NameRegex).Pattern ?? TagNamePattern.Nothing,
            Keep = TagNamePattern.Parse(policy.NameRegexKeep).Pattern ?? TagNamePattern.Nothing,
            KeepN = policy.KeepN,
            OlderThan = CleanupDuration.Parse(policy.OlderThan),
        };
    }

    /// <summary>A stored time as GitLab writes times, or null.</summary>
    public static DateTimeOffset? Time(string? stored) =>
        DateTimeOffset.TryParse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
