using System.Globalization;
using System.Text;

namespace Relais.Pipelines.Inputs;

/// <summary>The functions an interpolation may apply: <c>expand_vars</c>, <c>truncate(offset,length)</c>, <c>posix_escape</c>.</summary>
internal static class InputFunctions
{
    public static string? Apply(string function, string value, Func<string, string?> variables, out string? error)
    {
        error = null;
        if (function == "expand_vars")
        {
            return Compilation.Support.Expand(value, variables);
        }

        if (function == "posix_escape")
        {
            return PosixEscape(value);
        }

        if (function.StartsWith("truncate(", StringComparison.Ordinal) && function.EndsWith(')'))
        {
            var args = function["truncate(".Length..^1].Split(',', StringSplitOptions.TrimEntries);
            if (args.Length == 2
                && int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                offset = Math.Min(offset, value.Length);
                return value.Substring(offset, Math.Min(length, value.Length - offset));
            }

            error = "truncate takes two whole numbers: truncate(offset, length)";
            return null;
        }

        error = $"unknown function `{function}` (known: expand_vars, truncate, posix_escape)";
        return null;
    }

    private static string PosixEscape(string value)
    {
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.' or ',' or ':' or '/' or '@'))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
