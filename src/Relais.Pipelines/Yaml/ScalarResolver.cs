using System.Globalization;
using System.Text.RegularExpressions;

namespace Relais.Pipelines.Yaml;

/// <summary>
/// Decides what a plain (unquoted) scalar is, the way Ruby's Psych does for GitLab: YAML 1.1 booleans
/// (<c>true/false/yes/no/on/off</c> in their three casings), <c>~</c>/<c>null</c>/empty as null,
/// integers (with <c>_</c> separators, 0x, 0o, 0b) and floats. Quoted scalars are always strings.
/// </summary>
public static partial class ScalarResolver
{
    public static ScalarType Resolve(string text)
    {
        if (text.Length == 0 || text is "~" or "null" or "Null" or "NULL")
        {
            return ScalarType.Null;
        }

        if (ParseBool(text) is not null)
        {
            return ScalarType.Bool;
        }

        var first = text[0];
        if (!char.IsAsciiDigit(first) && first is not ('-' or '+' or '.'))
        {
            return ScalarType.String;
        }

        if (IntPattern().IsMatch(text))
        {
            return ScalarType.Int;
        }

        return FloatPattern().IsMatch(text) ? ScalarType.Float : ScalarType.String;
    }

    public static bool? ParseBool(string text) => text switch
    {
        "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" => true,
        "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" => false,
        _ => null,
    };

    public static long? ParseInt(string text)
    {
        var t = text.Replace("_", "", StringComparison.Ordinal);
        var negative = t.StartsWith('-');
        if (negative || t.StartsWith('+'))
        {
            t = t[1..];
        }

        long value;
        var ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(t[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value)
            : t.StartsWith("0b", StringComparison.OrdinalIgnoreCase)
                ? TryParseBase(t[2..], 2, out value)
                : t.StartsWith("0o", StringComparison.OrdinalIgnoreCase)
                    ? TryParseBase(t[2..], 8, out value)
                    : long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return ok ? (negative ? -value : value) : null;
    }

    private static bool TryParseBase(string digits, int radix, out long value)
    {
        value = 0;
        try
        {
            value = Convert.ToInt64(digits, radix);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")]
    private static partial Regex FloatPattern();
}
