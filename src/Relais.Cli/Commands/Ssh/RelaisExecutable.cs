namespace Relais.Cli.Commands.Ssh;

/// <summary>
/// How another program (sshd) starts this <c>relais</c>: the executable, and <c>relais.dll</c> when that executable is the
/// <c>dotnet</c> host. Symbolic links are resolved: sshd checks that its <c>AuthorizedKeysCommand</c> and every folder
/// above it belong to root and are writable by no one else, and it checks the real file.
/// </summary>
internal static class RelaisExecutable
{
    public static IReadOnlyList<string> Command()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("this process's executable is unknown");
        var real = new FileInfo(process).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? process;
        return Path.GetFileNameWithoutExtension(real) == "dotnet" ? [real, typeof(RelaisExecutable).Assembly.Location] : [real];
    }

    /// <summary>Whether a word can go into a command sshd hands to <c>/bin/sh -c</c> without quoting.</summary>
    public static bool IsShellSafe(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or ':' or '=' or '+' or ',' or '@');
}
