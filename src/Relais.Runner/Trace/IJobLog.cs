namespace Relais.Runner.Trace;

/// <summary>
/// The log an executor (or a source provider) writes to. Every byte goes through the job's masker before it reaches
/// the <see cref="IJobTrace"/>. Thread-safe: stdout and stderr readers may write at the same time; each call is
/// appended whole.
/// </summary>
public interface IJobLog
{
    /// <summary>Appends raw script output, in any chunking (partial lines and <c>\r</c> progress bars included).</summary>
    void Write(ReadOnlySpan<byte> output);

    /// <summary>Appends a plain runner message line.</summary>
    void Info(string message);

    /// <summary>Appends a runner notice in bold green.</summary>
    void Notice(string message);

    /// <summary>Appends <c>WARNING: message</c> in yellow.</summary>
    void Warning(string message);

    /// <summary>Appends <c>ERROR: message</c> in bold red.</summary>
    void Error(string message);
}
