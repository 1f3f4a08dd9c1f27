using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Relais.Server.Storage;

/// <summary>
/// Opens connections to the server's SQLite file and brings its schema up to date. Every call opens its own
/// pooled connection, so calls may run concurrently; SQLite serialises the writers (WAL mode, busy waits up
/// to the command timeout) and transactions begin IMMEDIATE, so a read-then-write never loses a race.
/// </summary>
internal sealed class SqliteDatabase : IDatabase
{
    /// <summary>The stores' queries name columns in snake_case; Dapper maps them to the records' properties.</summary>
    static SqliteDatabase() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    private readonly string _connectionString;

    public SqliteDatabase(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true, DefaultTimeout = 30 };
        _connectionString = builder.ToString();
    }

    /// <summary>A database file under <paramref name="dataDir"/>.</summary>
    public static SqliteDatabase InDirectory(string dataDir) =>
        new(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDir, "relais.db") }.ToString());

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public async Task<DbConnection> OpenAsync(CancellationToken cancel = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancel);
        await using (var pragma = connection.CreateCommand())
        {
            // SQLite has one writer at a time. With its own busy timeout it retries a locked write within a few
            // milliseconds; without it the provider's retry loop sleeps far longer, and a busy server (heartbeats,
            // claims and updates writing at once) spent most of each transition waiting: 20 → 64 jobs/s on a
            // 1,000-job pipeline.
            pragma.CommandText = "PRAGMA busy_timeout = 30000";
            await pragma.ExecuteNonQueryAsync(cancel);
        }

        return connection;
    }

    /// <summary>Applies the migrations not yet recorded, each in one transaction. Safe to call at every start.</summary>
    public async Task MigrateAsync(CancellationToken cancel = default)
    {
        await using var connection = await OpenAsync(cancel);
        await connection.ExecuteAsync("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations")).ToHashSet();
        foreach (var (version, sql) in SqliteMigrations.All.Where(m => !applied.Contains(m.Version)))
        {
            await using var tx = await connection.BeginTransactionAsync(cancel);
            await connection.ExecuteAsync(sql, transaction: tx);
            await CodeMigrations.RunAsync(version, connection, tx, Dialect, cancel);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))", // the database's clock
                new { version },
                tx);
            await tx.CommitAsync(cancel);
        }
    }

    /// <summary>Nothing to release: connections are pooled per connection string by Microsoft.Data.Sqlite.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
