using System.Text;
using Relais.Runner.Executors;
using Relais.Runner.Trace;

namespace Relais.Runner.Shells;

/// <summary>
/// Renders a <see cref="ScriptRequest"/> as a POSIX shell script, for every executor that runs <c>bash</c> or
/// <c>sh</c>. The shape follows gitlab-runner's bash shell: stderr joins stdout, <c>TERM</c> exits 1,
/// <c>errexit</c> (and <c>pipefail</c> under bash), no <c>noclobber</c>; each command is echoed as
/// <c>$ command</c> in bold green (a multi-line one as its first line and <c># collapsed multi-line command</c>),
/// then evaluated on its own, so a stray quote or trailing backslash in one command cannot swallow the next.
/// Environment variables are not written into the script: executors pass them to the process.
/// </summary>
public static class ShellScript
{
    /// <summary>Renders the script for <paramref name="shell"/> (<c>bash</c> or <c>sh</c>).</summary>
    public static string Render(ScriptRequest request, string shell)
    {
        ArgumentNullException.ThrowIfNull(request);
        var isBash = Path.GetFileName(shell ?? "") == "bash";
        var script = new StringBuilder(256 + request.Commands.Sum(c => c.Length * 2 + 40));
        script.Append("exec 2>&1\n");
        script.Append("trap 'exit 1' TERM\n");
        script.Append("set -o errexit\n");
        if (isBash)
        {
            script.Append("set -o pipefail\n");
        }

        script.Append("set +o noclobber\n");
        if (request.DebugTrace)
        {
            script.Append("set -o xtrace\n");
        }

        foreach (var raw in request.Commands)
        {
            var command = raw.Trim();
            if (command.Length == 0)
            {
                script.Append("echo\n");
                continue;
            }

            var newline = command.IndexOf('\n', StringComparison.Ordinal);
            var shown = newline < 0 ? command : command[..newline].TrimEnd('\r') + " # collapsed multi-line command";
            script.Append("printf '%s\\n' ").Append(Quote(Ansi.BoldGreen + "$ " + shown + Ansi.Reset)).Append('\n');
            script.Append("eval ").Append(Quote(command)).Append('\n');
        }

        script.Append("exit 0\n");
        return script.ToString();
    }

    /// <summary>Quotes <paramref name="value"/> for any POSIX shell (single quotes).</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
