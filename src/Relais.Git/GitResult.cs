using System.Text;

namespace Relais.Git;

/// <summary>
/// How a git process ended: its exit code, what it wrote on standard output (when captured) and on standard error.
/// A git that could not be started at all (not installed, a missing directory) is exit code
/// <see cref="NotStarted"/> with the reason in <see cref="Error"/>.
/// </summary>
public readonly record struct GitResult(int ExitCode, byte[] Output, string Error)
{
    /// <summary>The exit code of a git process that never started.</summary>
    public const int NotStarted = -1;

    /// <summary>True when git exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>Standard output as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Output);

    /// <summary>Standard output split into lines, each trimmed, empty ones left out.</summary>
    public IReadOnlyList<string> Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Standard output of a <c>-z</c> command split at its NUL bytes (paths as git wrote them).</summary>
    public IReadOnlyList<string> NulSeparated => Text.Split('\0', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The standard output's first line, trimmed, when git succeeded and wrote one; otherwise null.</summary>
    public string? FirstLine => Succeeded && Lines is [var first, ..] ? first : null;
}
