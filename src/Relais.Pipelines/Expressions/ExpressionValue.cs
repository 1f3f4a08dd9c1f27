using System.Text;

namespace Relais.Pipelines.Expressions;

/// <summary>What an expression's value can be, as in GitLab's Ruby evaluator.</summary>
internal enum ValueKind
{
    Null,
    String,
    Boolean,
    Regex,
}

/// <summary>
/// A value during evaluation, with Ruby's rules because GitLab's operators are Ruby's: <c>&amp;&amp;</c> and
/// <c>||</c> return one of their operands, only <c>nil</c> and <c>false</c> are falsy there, and the
/// final answer is ActiveSupport's <c>present?</c> (so an empty or all-blank string counts as false).
/// </summary>
internal readonly record struct ExpressionValue(ValueKind Kind, string? Text = null, bool Flag = false, CiRegex? Regex = null)
{
    public static ExpressionValue Null => default;

    public static ExpressionValue True => new(ValueKind.Boolean, Flag: true);

    public static ExpressionValue False => new(ValueKind.Boolean, Flag: false);

    public static ExpressionValue Of(bool value) => value ? True : False;

    public static ExpressionValue Of(string? value) => value is null ? Null : new(ValueKind.String, value);

    public static ExpressionValue Of(CiRegex regex) => new(ValueKind.Regex, Regex: regex);

    public bool IsNull => Kind == ValueKind.Null;

    /// <summary>Ruby truthiness, used by <c>&amp;&amp;</c> and <c>||</c>: everything but nil and false, even "".</summary>
    public bool IsTruthy => Kind switch
    {
        ValueKind.Null => false,
        ValueKind.Boolean => Flag,
        _ => true,
    };

    /// <summary>ActiveSupport's <c>present?</c>, the final verdict: strings must hold a non-whitespace character.</summary>
    public bool IsPresent => Kind switch
    {
        ValueKind.Null => false,
        ValueKind.Boolean => Flag,
        ValueKind.String => !string.IsNullOrWhiteSpace(Text),
        _ => true,
    };

    /// <summary>Ruby's <c>to_s</c>, used when a value is matched against a pattern (nil becomes "").</summary>
    public string AsText => Kind switch
    {
        ValueKind.String => Text!,
        ValueKind.Boolean => Flag ? "true" : "false",
        ValueKind.Regex => Regex!.ToString(),
        _ => "",
    };

    /// <summary>Ruby's <c>==</c>: same kind and same content; patterns compare by source.</summary>
    public bool RubyEquals(ExpressionValue other) => Kind == other.Kind && Kind switch
    {
        ValueKind.Null => true,
        ValueKind.String => string.Equals(Text, other.Text, StringComparison.Ordinal),
        ValueKind.Boolean => Flag == other.Flag,
        _ => string.Equals(Regex!.Source, other.Regex!.Source, StringComparison.Ordinal),
    };

    /// <summary>The value for people: <c>"text"</c>, <c>null</c>, <c>true</c>, <c>/re/i</c>.</summary>
    public string Display() => Kind switch
    {
        ValueKind.Null => "null",
        ValueKind.String => Quote(Text!),
        ValueKind.Boolean => Flag ? "true" : "false",
        _ => Regex!.ToString(),
    };

    /// <summary>A string in double quotes, with quotes, backslashes and control characters escaped.</summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }
}
