using System.Text.RegularExpressions;

namespace Relais.Server.Api;

/// <summary>
/// GitLab's rules for CI/CD variables: a key of letters, digits and <c>_</c> (at most 255); a masked value of
/// at least 8 characters, on one line, made of the Base64 alphabet (RFC 4648, with the URL-safe <c>-</c> and
/// <c>_</c>) and <c>@ : . ~</c>. Returns the field and the problem, or null when the variable is acceptable.
/// </summary>
internal static partial class VariableRules
{
    public static (string Field, string Problem)? Check(string key, string value, bool masked, string variableType)
    {
        if (!KeyRule().IsMatch(key))
        {
            return ("key", "(" + key + ") can contain only letters, digits and '_'.");
        }

        if (variableType is not ("env_var" or "file"))
        {
            return ("variable_type", "is not included in the list");
        }

        if (!masked)
        {
            return null;
        }

        if (value.Length < 8)
        {
            return ("value", "is invalid: a masked value must have at least 8 characters");
        }

        if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
        {
            return ("value", "is invalid: a masked value must be a single line");
        }

        return MaskableRule().IsMatch(value)
            ? null
            : ("value", "is invalid: a masked value may contain only the Base64 alphabet (RFC 4648) and @ : . ~");
    }

    [GeneratedRegex("^[A-Za-z0-9_]{1,255}$")]
    private static partial Regex KeyRule();

    [GeneratedRegex("^[A-Za-z0-9+/=_@:.~-]+$")]
    private static partial Regex MaskableRule();
}
