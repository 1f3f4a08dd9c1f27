using Npgsql;

namespace Relais.Server.Tests.Support;

/// <summary>
/// The stores the server tests run on: SQLite always, PostgreSQL when <c>RELAIS_TEST_POSTGRES</c> holds a connection
/// string (scripts/test starts a cluster with scripts/postgres.sh and sets it). Every PostgreSQL server a test starts
/// gets its own fresh database, created here and dropped when the test is done, so runs are isolated and repeatable.
/// </summary>
public static class Stores
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string Variable = PostgresTest.Variable;

    /// <summary>The PostgreSQL connection string the tests may use (its role needs CREATEDB), or null.</summary>
    public static string? PostgresConnection => PostgresTest.Connection;

    /// <summary>Theory rows: each store available here.</summary>
    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string> { Sqlite };
            if (PostgresConnection is not null)
            {
                data.Add(Postgres);
            }

            return data;
        }
    }

    /// <summary>A connection string for a new, empty database of <paramref name="store"/>; null for SQLite (the server's default file).</summary>
    public static async Task<string?> CreateDatabaseAsync(string store)
    {
        if (store == Sqlite)
        {
            return null;
        }

        var admin = PostgresConnection ?? throw new InvalidOperationException($"{Variable} is not set");
        var name = "relais_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var source = NpgsqlDataSource.Create(admin))
        await using (var create = source.CreateCommand($"CREATE DATABASE {name}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/> (closing what still uses it); nothing for SQLite.</summary>
    public static async Task DropDatabaseAsync(string? connectionString)
    {
        if (connectionString is null)
        {
            return;
        }

        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var source = NpgsqlDataSource.Create(PostgresConnection!);
        await using var drop = source.CreateCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 50)
            {
                // An autovacuum worker is on the database and this role may not end it (no pg_signal_backend,
                // e.g. on a server the tests were pointed at): it finishes within moments.
                await Task.Delay(100);
            }
        }
    }
}
