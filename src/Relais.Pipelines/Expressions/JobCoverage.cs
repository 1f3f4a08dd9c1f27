using System.Text.RegularExpressions;

namespace Relais.Pipelines.Expressions;

/// <summary>
/// A job's coverage read from its log with its <c>coverage:</c> pattern, the way GitLab reads it: the last
/// log line where the pattern matches and yields a number wins; on that line the last match (its last capture
/// group when it has groups) is taken, and the coverage is the first number in it (<c>85</c>, <c>85.5</c>).
/// Feed the lines in order with <see cref="Read"/>; <see cref="Value"/> is the answer so far.
/// </summary>
public sealed partial class JobCoverage
{
    private readonly CiRegex? _regex;

    /// <summary>Reads with <paramref name="pattern"/> (<c>/…/flags</c>); an invalid or missing pattern reads nothing.</summary>
    public JobCoverage(string? pattern)
    {
        if (pattern is not null && CiRegex.TryParse(pattern, out var regex, out _))
        {
            _regex = regex;
        }
    }

    /// <summary>The coverage found so far, as the log wrote it (<c>85.5</c>), or null.</summary>
    public string? Value { get; private set; }

    /// <summary>Reads one log line (without its line break).</summary>
    public void Read(string line)
    {
        if (_regex?.LastScanned(line) is { } matched && Number().Match(matched) is { Success: true } number)
        {
            Value = number.Value;
        }
    }

    [GeneratedRegex(@"[0-9]+(\.[0-9]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}
