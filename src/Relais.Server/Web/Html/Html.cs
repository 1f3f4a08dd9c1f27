using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;

namespace Relais.Server.Web.Html;

/// <summary>Markup that is already safe and is written as is (built by this code, never from user data).</summary>
internal readonly record struct RawHtml(string Value);

/// <summary>
/// An HTML document being written. Every value interpolated into <see cref="Add"/> is HTML-encoded unless it is a
/// <see cref="RawHtml"/>, so data (job names, logs, refs) can never become markup by accident.
/// </summary>
internal sealed class HtmlBuilder
{
    public StringBuilder Builder { get; } = new(8 * 1024);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "The handler receives this instance; the method is its entry point.")]
    public void Add([InterpolatedStringHandlerArgument("")] ref HtmlInterpolation html)
    {
        // The handler wrote into Builder already.
    }

    public void Raw(string markup) => Builder.Append(markup);

    public void Text(string? text) => Encode(Builder, text);

    public override string ToString() => Builder.ToString();

    public static void Encode(StringBuilder into, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (text.AsSpan().IndexOfAny("<>&\"'") < 0)
        {
            into.Append(text);
            return;
        }

        into.Append(WebUtility.HtmlEncode(text));
    }
}

/// <summary>The interpolation handler of <see cref="HtmlBuilder.Add"/>: literals as markup, holes encoded.</summary>
[InterpolatedStringHandler]
internal readonly ref struct HtmlInterpolation
{
    private readonly StringBuilder _builder;

    public HtmlInterpolation(int literalLength, int formattedCount, HtmlBuilder html)
    {
        _ = formattedCount;
        ArgumentNullException.ThrowIfNull(html);
        _builder = html.Builder;
        _builder.EnsureCapacity(_builder.Length + literalLength);
    }

    public void AppendLiteral(string literal) => _builder.Append(literal);

    public void AppendFormatted(string? value) => HtmlBuilder.Encode(_builder, value);

    public void AppendFormatted(RawHtml value) => _builder.Append(value.Value);

    public void AppendFormatted(long value) => _builder.Append(value.ToString(CultureInfo.InvariantCulture));

    public void AppendFormatted(int value) => _builder.Append(value.ToString(CultureInfo.InvariantCulture));

    public void AppendFormatted<T>(T value) =>
        HtmlBuilder.Encode(_builder, value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString());
}
