using Relais.Server.Storage;

namespace Relais.Server.Tests.Support;

/// <summary>
/// A migrated SQLite database in a folder of its own, for tests of the stores without a server: a test class creates
/// one in its <see cref="IAsyncLifetime.InitializeAsync"/> and disposes it in its <see cref="IAsyncLifetime.DisposeAsync"/>.
/// </summary>
internal sealed class TempSqliteDatabase : IAsyncDisposable
{
    private readonly string _dir;

    private TempSqliteDatabase(string dir, SqliteDatabase database) => (_dir, Database) = (dir, database);

    public SqliteDatabase Database { get; }

    /// <summary>Creates the folder (named after <paramref name="prefix"/>) and the database, and runs the migrations.</summary>
    public static async Task<TempSqliteDatabase> CreateAsync(string prefix)
    {
        var dir = Directory.CreateTempSubdirectory(prefix).FullName;
        var database = SqliteDatabase.InDirectory(dir);
        await database.MigrateAsync();
        return new TempSqliteDatabase(dir, database);
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
