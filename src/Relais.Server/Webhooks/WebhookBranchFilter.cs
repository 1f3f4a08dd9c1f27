using System.Text.RegularExpressions;

namespace Relais.Server.Webhooks;

/// <summary>
/// A hook's <c>push_events_branch_filter</c> (GitLab's wildcard strategy): empty matches every branch, otherwise
/// the branch name must match the pattern, where <c>*</c> stands for any run of characters.
/// </summary>
public static class WebhookBranchFilter
{
    public static bool Matches(string? filter, string branch)
    {
        ArgumentNullException.ThrowIfNull(branch);
        if (string.IsNullOrEmpty(filter))
        {
            return true;
        }

        var pattern = "^" + string.Join(".*", filter.Split('*').Select(Regex.Escape)) + "$";
        return Regex.IsMatch(branch, pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }
}
