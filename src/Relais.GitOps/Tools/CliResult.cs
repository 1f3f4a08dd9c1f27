namespace Relais.GitOps.Tools;

/// <summary>How a command-line tool (docker, kubectl, docker-compose) ended: exit code, standard output and error.</summary>
/// <param name="ExitCode">The exit code; <see cref="NotStarted"/> when the program could not be started.</param>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>The exit code of a program that never started (not installed).</summary>
    public const int NotStarted = -1;

    public bool Succeeded => ExitCode == 0;

    /// <summary>Standard error, else standard output, trimmed: what to show a person when the command failed.</summary>
    public string Message => (string.IsNullOrWhiteSpace(Error) ? Output : Error).Trim();
}
