using Relais.GitOps.Policies;

namespace Relais.GitOps.Config;

/// <summary>Reads an ImagePolicy's <c>policy:</c> (exactly one of semver, alphabetical, numerical) into a rule.</summary>
internal static class PolicyRuleReader
{
    public static ImagePolicyRule? Read(FieldReader spec)
    {
        if (spec.Nested("policy", required: true) is not { } policy)
        {
            return null;
        }

        ImagePolicyRule? rule = null;
        var chosen = 0;
        if (policy.Nested("semver") is { } semver)
        {
            chosen++;
            var range = semver.String("range", required: true);
            semver.Finish();
            if (range is not null)
            {
                if (SemverRange.TryParse(range, out var error) is { } parsed)
                {
                    rule = new SemverPolicy(parsed);
                }
                else
                {
                    semver.Error(semver.Mapping["range"]!.Location, $"{semver.PathOf("range")}: {error}");
                }
            }
        }

        foreach (var key in new[] { "alphabetical", "numerical" })
        {
            if (policy.Nested(key) is not { } ordered)
            {
                continue;
            }

            chosen++;
            var ascending = (ordered.OneOf("order", ["asc", "desc"]) ?? "asc") == "asc";
            ordered.Finish();
            rule = key == "alphabetical" ? new AlphabeticalPolicy(ascending) : new NumericalPolicy(ascending);
        }

        policy.Finish();
        if (chosen != 1)
        {
            policy.Error(policy.Mapping.Location, $"{spec.PathOf("policy")}: give exactly one of semver, alphabetical or numerical");
            return null;
        }

        return rule;
    }
}
