using System.Diagnostics;

namespace Relais.EndToEnd;

/// <summary>
/// gitbeaker (<c>@gitbeaker/rest</c>, GitLab's most used Node client), installed by <c>scripts/install-deps.sh</c> into
/// <see cref="Folder"/>; scripts run there so Node resolves the package (ES modules ignore NODE_PATH).
/// </summary>
internal static class GitBeaker
{
    public const string Folder = "/var/cache/relais-test/node";

    private static readonly Lazy<string?> Found = new(() =>
    {
        if (!File.Exists(Path.Combine(Folder, "node_modules", "@gitbeaker", "rest", "package.json")))
        {
            return null;
        }

        try
        {
            using var probe = Process.Start(new ProcessStartInfo("node", ["--version"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            probe.WaitForExit(TimeSpan.FromSeconds(20));
            return probe.ExitCode == 0 ? "node" : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    });

    /// <summary>The Node program, or null when Node or the package is missing.</summary>
    public static string? Node => Found.Value;
}

/// <summary>A fact skipped, with the reason, where Node or gitbeaker is missing.</summary>
public sealed class GitBeakerFactAttribute : FactAttribute
{
    public GitBeakerFactAttribute()
    {
        Skip = GitBeaker.Node is null ? $"gitbeaker (@gitbeaker/rest) is not installed in {GitBeaker.Folder}; scripts/install-deps.sh installs it with npm" : null;
    }
}
