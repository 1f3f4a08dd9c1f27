using System.Text.RegularExpressions;

namespace Relais.Pipelines.Context;

/// <summary>
/// GitLab's deployment tiers, and the tier it gives an environment whose job sets no <c>deployment_tier</c>: guessed from
/// the name, the first match winning (<c>review/x</c> is development, <c>qa</c> testing, <c>stage</c> staging, <c>prod</c>
/// production, anything else other).
/// </summary>
public static partial class EnvironmentTiers
{
    public const string Production = "production";
    public const string Staging = "staging";
    public const string Testing = "testing";
    public const string Development = "development";
    public const string Other = "other";

    public static bool IsKnown(string tier) => tier is Production or Staging or Testing or Development or Other;

    public static string Guess(string name) =>
        DevelopmentName().IsMatch(name) ? Development
        : TestingName().IsMatch(name) ? Testing
        : StagingName().IsMatch(name) ? Staging
        : ProductionName().IsMatch(name) ? Production
        : Other;

    [GeneratedRegex("(dev|review|trunk)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DevelopmentName();

    [GeneratedRegex("(test|tst|int|ac(ce|)pt|qa|qc|control|quality)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TestingName();

    [GeneratedRegex("(st(a|)g|mod(e|)l|pre|demo|non)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StagingName();

    [GeneratedRegex("(pr(o|)d|live)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ProductionName();
}
