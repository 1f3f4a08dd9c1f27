using Npgsql;
using Xunit.Abstractions;

namespace Relais.EndToEnd;

/// <summary>
/// Two `relais serve` processes on one PostgreSQL database and one data directory, behind a plain TCP balancer that
/// both name as their external URL; two runner processes talk to the balancer. One coordinator is killed
/// mid-pipeline: the other finishes it, every job ran exactly once and every log is whole.
/// </summary>
public sealed class TwoCoordinatorTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Variable = "RELAIS_TEST_POSTGRES";
    private readonly Cluster _cluster = new();
    private string? _database;

    [PostgresFact]
    public async Task One_of_two_coordinators_killed_mid_pipeline_the_other_finishes_it()
    {
        const int Build = 6, Test = 3, Lines = 50;
        var (portA, portB) = (FreePorts.Next(), FreePorts.Next());
        using var balancer = new TcpBalancer([portA, portB]);
        var url = $"http://127.0.0.1:{balancer.Port}";
        string[] shared = ["--database", _database!, "--external-url", url, "--job-heartbeat-timeout", "15"];
        var a = await _cluster.StartServerAsync(portA, shared);
        await _cluster.StartServerAsync(portB, shared);
        using var http = _cluster.Client(url);
        _cluster.StartRunner(url, await Cluster.RegisterRunnerAsync(http), "r1", concurrent: 3);
        _cluster.StartRunner(url, await Cluster.RegisterRunnerAsync(http), "r2", concurrent: 3);
        _cluster.Push(Faults.Pipeline(Build, Test, Lines), balancer.Port);
        var pipeline = (await Cluster.PipelineAsync(http))!.Value.GetProperty("id").GetInt64();
        await _cluster.WaitForAsync(async () => await CrashRecoveryTests.ScriptsRunningAsync(http, pipeline) >= 3, TimeSpan.FromSeconds(90), "three jobs in their script");

        a.Kill();
        var killed = System.Diagnostics.Stopwatch.StartNew();
        await _cluster.WaitForAsync(async () => (await Cluster.PipelineAsync(http))!.Value.GetProperty("status").GetString() is "success" or "failed",
            TimeSpan.FromSeconds(180), "the surviving coordinator to finish the pipeline");
        output.WriteLine($"pipeline finished {killed.Elapsed.TotalSeconds:0.0} s after coordinator A was killed");

        Assert.True((await Cluster.PipelineAsync(http))!.Value.GetProperty("status").GetString() == "success", _cluster.Outputs() + await Faults.FailedLogsAsync(http, pipeline));
        await Faults.AssertEachJobRanOnceWithWholeLogAsync(http, pipeline, Build, Test, Lines, _cluster.Outputs);
    }

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } admin)
        {
            return;
        }

        var name = "relais_e2e_" + Guid.NewGuid().ToString("N")[..12];
        await using (var source = NpgsqlDataSource.Create(admin))
        await using (var create = source.CreateCommand($"CREATE DATABASE {name}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        _database = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        _cluster.Dispose();
        if (_database is null)
        {
            return;
        }

        await using var source = NpgsqlDataSource.Create(Environment.GetEnvironmentVariable(Variable)!);
        await using var drop = source.CreateCommand($"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(_database).Database} WITH (FORCE)");
        await drop.ExecuteNonQueryAsync();
    }
}
