using System.Data.Common;

namespace Relais.Server.Storage;

/// <summary>
/// The connection side of the stores (<see cref="SqlPipelineStore"/> and the others): SQLite (<see cref="SqliteDatabase"/>) or PostgreSQL
/// (<see cref="PostgresDatabase"/>). Contract: <see cref="OpenAsync"/> may be called concurrently and returns a new
/// open (pooled) connection the caller disposes; <see cref="MigrateAsync"/> is called once at start, is safe to
/// call at every start and, on PostgreSQL, when several coordinators start at once; dispose after the last use.
/// </summary>
internal interface IDatabase : IAsyncDisposable
{
    /// <summary>The few SQL fragments that differ between the two databases.</summary>
    SqlDialect Dialect { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancel = default);

    /// <summary>Applies the migrations not yet recorded, each in one transaction.</summary>
    Task MigrateAsync(CancellationToken cancel = default);
}

/// <summary>Chooses the database from <c>--database</c>: a PostgreSQL string or URL, else SQLite (by default <c>DATA/relais.db</c>).</summary>
internal static class Databases
{
    public static IDatabase Open(string? connectionString, string dataDir) => connectionString switch
    {
        null or "" => SqliteDatabase.InDirectory(dataDir),
        _ when PostgresDatabase.IsPostgres(connectionString) => new PostgresDatabase(connectionString),
        _ => new SqliteDatabase(connectionString),
    };
}
