using System.Text;
using Relais.Server.Storage;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests;

/// <summary>What only PostgreSQL allows: several coordinators on one database. The rest of the suite runs on both stores.</summary>
public sealed class PostgresTests
{
    [Fact]
    public void A_postgres_url_or_keyword_string_selects_postgresql_and_anything_else_sqlite()
    {
        Assert.True(PostgresDatabase.IsPostgres("Host=db;Port=5433;Username=u;Password=p;Database=relais"));
        Assert.True(PostgresDatabase.IsPostgres("postgres://u:p@db/relais"));
        Assert.True(PostgresDatabase.IsPostgres("postgresql://db/relais"));
        Assert.False(PostgresDatabase.IsPostgres("Data Source=/tmp/relais.db"));

        var keywords = PostgresDatabase.ToKeywords("postgres://ci%40team:p%3Bw@db.example:5433/relais?sslmode=disable&Pooling=false");
        var parsed = new Npgsql.NpgsqlConnectionStringBuilder(keywords);
        Assert.Equal(("db.example", 5433, "relais", "ci@team", "p;w"), (parsed.Host, parsed.Port, parsed.Database, parsed.Username, parsed.Password));
        Assert.Equal(Npgsql.SslMode.Disable, parsed.SslMode);
        Assert.False(parsed.Pooling);
        Assert.Equal(5432, new Npgsql.NpgsqlConnectionStringBuilder(PostgresDatabase.ToKeywords("postgres://db/relais")).Port);
    }

    [PostgresFact]
    public async Task Two_coordinators_on_one_database_migrate_once_and_dispatch_each_job_exactly_once()
    {
        var database = await Stores.CreateDatabaseAsync(Stores.Postgres);
        var servers = await Task.WhenAll(
            TestServer.StartAsync(Stores.Postgres, longPoll: TimeSpan.FromMilliseconds(300), database: database),
            TestServer.StartAsync(Stores.Postgres, longPoll: TimeSpan.FromMilliseconds(300), database: database));
        try
        {
            await DispatchAcrossAsync(servers[0], servers[1]);
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync(); // drops the shared database; the second drop finds none
            }
        }
    }

    private static async Task DispatchAcrossAsync(TestServer a, TestServer b)
    {
        var runners = new List<(TestServer Server, string Token)>();
        for (var i = 0; i < 8; i++)
        {
            var server = i % 2 == 0 ? a : b;
            runners.Add((server, (await server.RegisterRunnerAsync()).Token));
        }

        const int pipelines = 4, perPipeline = 15;
        var dispatched = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var polls = runners.Select(r => Task.Run(async () =>
        {
            var taken = new List<long>();
            while (Volatile.Read(ref dispatched) < pipelines * perPipeline && DateTime.UtcNow < deadline)
            {
                if (await r.Server.RequestJobAsync(r.Token) is { } job)
                {
                    taken.Add(job.Id);
                    Interlocked.Increment(ref dispatched);
                }
            }

            return taken;
        })).ToList();

        var yaml = new StringBuilder();
        for (var i = 0; i < perPipeline; i++)
        {
            yaml.Append("job").Append(i).AppendLine(": {script: [echo]}");
        }

        await Task.WhenAll(Enumerable.Range(0, pipelines).Select(i => (i % 2 == 0 ? a : b).CreatePipelineAsync(yaml.ToString())));
        var all = (await Task.WhenAll(polls)).SelectMany(t => t).ToList();

        Assert.Equal(pipelines * perPipeline, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Empty(await b.Host.Stores.Pipelines.PendingJobsAsync(100));
    }
}
