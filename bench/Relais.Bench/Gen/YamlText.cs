using System.Globalization;
using System.Text;

namespace Relais.Bench.Gen;

/// <summary>A line writer for hand-shaped YAML: the generator wants to write what people write, not what a serializer emits.</summary>
internal sealed class YamlText
{
    private readonly StringBuilder _sb = new();

    public YamlText Line(string text = "")
    {
        _sb.Append(text).Append('\n');
        return this;
    }

    public YamlText Line(int indent, string text)
    {
        _sb.Append(' ', indent * 2).Append(text).Append('\n');
        return this;
    }

    public int Length => _sb.Length;

    public override string ToString() => _sb.ToString();

    /// <summary>A double-quoted YAML scalar.</summary>
    public static string Q(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>A single-quoted YAML scalar (for <c>rules:if</c>, which is full of double quotes).</summary>
    public static string S(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
