using System.Text.RegularExpressions;

namespace Relais.Server.Registry;

/// <summary>
/// What of Distribution's log lines <c>relais serve</c> passes on: not the per-request ones (every pull and push
/// prints several) nor the start's boilerplate, and the rest without the time and the build fields repeated on each line
/// (<c>level=info msg="listening on …"</c>).
/// </summary>
public static partial class RegistryLogLines
{
    /// <summary>What each start prints that says nothing about this setup (it restarts twice per garbage collection).</summary>
    private static readonly string[] StartNoise = ["msg=\"redis not configured\"", "msg=\"restricting TLS "];

    /// <summary>Whether the line says the registry listens.</summary>
    public static bool IsReady(string line) => line.Contains("msg=\"listening on ", StringComparison.Ordinal);

    /// <summary>The line to pass on, or null to drop it.</summary>
    public static string? Pass(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Contains(" http.request.", StringComparison.Ordinal) && !line.Contains("level=panic", StringComparison.Ordinal) && !line.Contains("level=fatal", StringComparison.Ordinal))
        {
            return null;
        }

        if (StartNoise.Any(n => line.Contains(n, StringComparison.Ordinal)))
        {
            return null;
        }

        return Noise().Replace(Time().Replace(line, ""), "").Trim();
    }

    [GeneratedRegex("^time=\"[^\"]*\" ")]
    private static partial Regex Time();

    [GeneratedRegex(" (go\\.version|instance\\.id|version|service)=\\S+")]
    private static partial Regex Noise();
}
