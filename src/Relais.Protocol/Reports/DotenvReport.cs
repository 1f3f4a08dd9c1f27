using System.Text;

namespace Relais.Protocol.Reports;

/// <summary>GitLab's limits on a dotenv report (instance plan limits; the defaults are a self-managed instance's).</summary>
/// <param name="MaxBytes">The file must be smaller than this (default 5 KiB).</param>
/// <param name="MaxVariables">At most this many distinct variables (default 150).</param>
public readonly record struct DotenvLimits(int MaxBytes = 5120, int MaxVariables = 150)
{
    /// <summary>The limits of a default self-managed instance.</summary>
    public static DotenvLimits Default => new(5120, 150);
}

/// <summary>The result of parsing a dotenv report: the variables, or why the report was rejected.</summary>
/// <param name="Variables">The variables in file order, later duplicates replacing earlier ones; empty on error.</param>
/// <param name="Error">Why the whole report was rejected, or null.</param>
public readonly record struct DotenvResult(IReadOnlyList<KeyValuePair<string, string>> Variables, string? Error)
{
    /// <summary>Whether the report was accepted.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>
/// Parses <c>artifacts:reports:dotenv</c> files the way GitLab does when the report is uploaded: every line must be
/// <c>KEY=VALUE</c>; key and value are trimmed; quotes are kept as written (no unquoting, no expansion); keys are ASCII
/// letters, digits and <c>_</c>; any invalid line rejects the whole report, as do the size and count limits. A UTF-8 or
/// UTF-16LE byte order mark is honoured.
/// </summary>
public static class DotenvReport
{
    /// <summary>Parses the raw bytes of a report.</summary>
    public static DotenvResult Parse(ReadOnlySpan<byte> content, DotenvLimits limits = default)
    {
        limits = Normalize(limits);
        if (content.Length >= limits.MaxBytes)
        {
            return Fail($"Dotenv Artifact Too Big. Maximum Allowable Size: {limits.MaxBytes}");
        }

        string text;
        if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            text = Encoding.Unicode.GetString(content[2..]);
        }
        else
        {
            text = Encoding.UTF8.GetString(content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? content[3..] : content);
        }

        return ParseLines(text, limits);
    }

    /// <summary>Parses the text of a report (the size limit counts UTF-8 bytes).</summary>
    public static DotenvResult Parse(string content, DotenvLimits limits = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        limits = Normalize(limits);
        if (Encoding.UTF8.GetByteCount(content) >= limits.MaxBytes)
        {
            return Fail($"Dotenv Artifact Too Big. Maximum Allowable Size: {limits.MaxBytes}");
        }

        return ParseLines(content.TrimStart('\uFEFF'), limits);
    }

    private static DotenvLimits Normalize(DotenvLimits limits) => limits.MaxBytes <= 0 ? DotenvLimits.Default : limits;

    private static DotenvResult ParseLines(string text, DotenvLimits limits)
    {
        var order = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = 0;
        while (position < text.Length)
        {
            var end = text.IndexOf('\n', position);
            var line = end < 0 ? text[position..] : text[position..end];
            position = end < 0 ? text.Length : end + 1;
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                return Fail("Invalid Format");
            }

            var key = line[..equals].Trim();
            if (!IsValidKey(key))
            {
                return Fail($"Invalid variable name: '{key}'");
            }

            if (!values.ContainsKey(key))
            {
                order.Add(key);
            }

            values[key] = line[(equals + 1)..].Trim();
        }

        if (order.Count > limits.MaxVariables)
        {
            return Fail($"Dotenv files cannot have more than {limits.MaxVariables} variables");
        }

        return new DotenvResult(order.Select(k => new KeyValuePair<string, string>(k, values[k])).ToArray(), null);
    }

    private static bool IsValidKey(string key) =>
        key.Length is > 0 and <= 255 && key.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_');

    private static DotenvResult Fail(string error) => new([], error);
}
