using System.Globalization;
using System.Text;

namespace Relais.GitOps.Updates.Templates;

/// <summary>The functions a commit message template may call; any other name is a <see cref="TemplateException"/>.</summary>
internal static class TemplateFunctions
{
    public static object? Call(string name, IReadOnlyList<object?> arguments) => name switch
    {
        "print" => Print(arguments),
        "println" => string.Join(' ', arguments.Select(a => GoTemplate.Format(a))) + "\n",
        "printf" => Printf(arguments),
        "len" => (long)(One(name, arguments) switch
        {
            string s => s.Length,
            TemplateMap m => m.Entries.Count,
            IEnumerable<object?> list => list.Count(),
            var other => throw new TemplateException($"len of {GoTemplate.TypeName(other)}"),
        }),
        "not" => !GoTemplate.IsTrue(One(name, arguments)),
        "eq" => Two(name, arguments) is var (a, b) && Equals(a, b),
        "ne" => Two(name, arguments) is var (c, d) && !Equals(c, d),
        "lower" => Text(name, One(name, arguments)).ToLowerInvariant(),
        "upper" => Text(name, One(name, arguments)).ToUpperInvariant(),
        "trim" => Text(name, One(name, arguments)).Trim(),
        "contains" => Two(name, arguments) is var (sub, s) && Text(name, s).Contains(Text(name, sub), StringComparison.Ordinal),
        _ => throw new TemplateException($"function \"{name}\" is not supported (supported: print, println, printf, len, not, eq, ne, lower, upper, trim, contains)"),
    };

    /// <summary>Go's <c>fmt.Sprint</c>: a space between two operands when neither is a string.</summary>
    private static string Print(IReadOnlyList<object?> arguments)
    {
        var output = new StringBuilder();
        for (var i = 0; i < arguments.Count; i++)
        {
            if (i > 0 && arguments[i] is not string && arguments[i - 1] is not string)
            {
                output.Append(' ');
            }

            output.Append(GoTemplate.Format(arguments[i]));
        }

        return output.ToString();
    }

    private static string Printf(IReadOnlyList<object?> arguments)
    {
        if (arguments.Count == 0 || arguments[0] is not string format)
        {
            throw new TemplateException("printf needs a format string");
        }

        var output = new StringBuilder();
        var next = 1;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                output.Append(format[i]);
                continue;
            }

            var verb = format[++i];
            if (verb == '%')
            {
                output.Append('%');
                continue;
            }

            if (next >= arguments.Count)
            {
                output.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }

            var value = arguments[next++];
            output.Append(verb switch
            {
                's' or 'v' or 'd' => GoTemplate.Format(value),
                'q' => "\"" + GoTemplate.Format(value).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
                _ => throw new TemplateException($"printf verb %{verb} is not supported (supported: %s, %v, %d, %q, %%)"),
            });
        }

        return output.ToString();
    }

    private static object? One(string name, IReadOnlyList<object?> arguments) =>
        arguments.Count == 1 ? arguments[0] : throw new TemplateException($"wrong number of args for {name}: want 1 got {arguments.Count}");

    private static (object? A, object? B) Two(string name, IReadOnlyList<object?> arguments) =>
        arguments.Count == 2 ? (arguments[0], arguments[1]) : throw new TemplateException($"wrong number of args for {name}: want 2 got {arguments.Count}");

    private static string Text(string name, object? value) =>
        value as string ?? throw new TemplateException($"{name} expects a string, got {GoTemplate.TypeName(value)}");

    private static new bool Equals(object? a, object? b) => object.Equals(a, b);
}
