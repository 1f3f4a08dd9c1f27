using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Relais.Server.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of its own (scripts/postgres.sh with its own directory and port), for tests that stop and start
/// the database under a server without disturbing the shared test cluster. Deleted when disposed.
/// </summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly string _dir;

    private PrivatePostgres(string dir, int port, string connectionString)
    {
        _dir = dir;
        _environment = new Dictionary<string, string> { ["RELAIS_PG_DIR"] = dir, ["RELAIS_PG_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        ConnectionString = connectionString;
    }

    /// <summary>The connection string of the cluster's <c>relais</c> database.</summary>
    public string ConnectionString { get; }

    public static async Task<PrivatePostgres> StartAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "relais-pg-private-" + Guid.NewGuid().ToString("N")[..8]);
        var port = FreePorts.Next();
        var cluster = new PrivatePostgres(dir, port, "");
        var connection = (await cluster.ScriptAsync()).Trim();
        return new PrivatePostgres(dir, port, connection);
    }

    /// <summary>Stops the cluster (fast shutdown: open connections are cut).</summary>
    public Task StopAsync() => ScriptAsync("stop");

    public Task StartAgainAsync() => ScriptAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<string> ScriptAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot(), "scripts", "postgres.sh")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"scripts/postgres.sh {string.Join(' ', args)} failed: {await stderr}");
        return await stdout;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "scripts", "postgres.sh")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("scripts/postgres.sh not found above " + AppContext.BaseDirectory);
    }
}
