using System.Data.Common;
using Dapper;
using Npgsql;

namespace Relais.Server.Storage;

/// <summary>
/// Connections to a PostgreSQL database (one pooled <see cref="NpgsqlDataSource"/>) and its schema. Several
/// coordinators may share the database: migrations run under an advisory lock, and the store's transitions lock
/// their pipeline row (see <see cref="SqlDialect.Postgres"/>).
/// </summary>
internal sealed class PostgresDatabase : IDatabase
{
    /// <summary>The stores' queries name columns in snake_case; Dapper maps them to the records' properties.</summary>
    static PostgresDatabase() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    /// <summary>The advisory lock key the migrations hold (any fixed number; "relais" in ASCII).</summary>
    private const long MigrationLock = 0x72656c616973;

    private readonly NpgsqlDataSource _source;

    public PostgresDatabase(string connectionString)
    {
        _source = NpgsqlDataSource.Create(ToKeywords(connectionString));
    }

    public SqlDialect Dialect => SqlDialect.Postgres;

    /// <summary>True for a <c>postgres://</c> or <c>postgresql://</c> URL or a keyword string with <c>Host=</c>.</summary>
    public static bool IsPostgres(string connectionString) =>
        connectionString.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || connectionString.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || connectionString.Split(';').Any(part => part.Trim().StartsWith("Host=", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Npgsql's keyword form of <paramref name="connectionString"/>: a keyword string is kept; a URL
    /// <c>postgres://user:password@host:port/database?key=value</c> is translated (query keys are Npgsql keywords,
    /// <c>sslmode</c> included).
    /// </summary>
    public static string ToKeywords(string connectionString)
    {
        if (!connectionString.Contains("://", StringComparison.Ordinal))
        {
            return new NpgsqlConnectionStringBuilder(connectionString).ConnectionString;
        }

        var url = new Uri(connectionString);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.IsDefaultPort || url.Port < 0 ? 5432 : url.Port,
            Database = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : null,
        };
        if (url.UserInfo.Length > 0)
        {
            var colon = url.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? url.UserInfo : url.UserInfo[..colon]);
            builder.Password = colon < 0 ? null : Uri.UnescapeDataString(url.UserInfo[(colon + 1)..]);
        }

        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] =
                eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
        }

        return builder.ConnectionString;
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancel = default) => await _source.OpenConnectionAsync(cancel);

    public async Task MigrateAsync(CancellationToken cancel = default)
    {
        await using var connection = await _source.OpenConnectionAsync(cancel);
        await connection.ExecuteAsync("SELECT pg_advisory_lock(@MigrationLock)", new { MigrationLock });
        try
        {
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)");
            var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations")).ToHashSet();
            foreach (var (version, sql) in PostgresMigrations.All.Where(m => !applied.Contains(m.Version)))
            {
                await using var tx = await connection.BeginTransactionAsync(cancel);
                await connection.ExecuteAsync(sql, transaction: tx);
                await CodeMigrations.RunAsync(version, connection, tx, Dialect, cancel);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, now())", // the database's clock
                    new { version },
                    tx);
                await tx.CommitAsync(cancel);
            }
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@MigrationLock)", new { MigrationLock });
        }
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
