using Npgsql;

namespace Relais.Web.Tests.Support;

/// <summary>
/// SQLite always; PostgreSQL too when <c>RELAIS_TEST_POSTGRES</c> holds a connection string whose role may create
/// databases (./scripts/test sets it). Each PostgreSQL server gets a fresh database, dropped afterwards.
/// </summary>
public static class WebStores
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    private static string? Admin => Environment.GetEnvironmentVariable("RELAIS_TEST_POSTGRES") is { Length: > 0 } cs ? cs : null;

    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string> { Sqlite };
            if (Admin is not null)
            {
                data.Add(Postgres);
            }

            return data;
        }
    }

    public static async Task<string?> CreateDatabaseAsync(string store)
    {
        if (store == Sqlite)
        {
            return null;
        }

        var admin = Admin ?? throw new InvalidOperationException("RELAIS_TEST_POSTGRES is not set");
        var name = "relais_web_" + Guid.NewGuid().ToString("N")[..12];
        await using (var source = NpgsqlDataSource.Create(admin))
        await using (var create = source.CreateCommand($"CREATE DATABASE {name}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string? connectionString)
    {
        if (connectionString is null)
        {
            return;
        }

        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var source = NpgsqlDataSource.Create(Admin!);
        await using var drop = source.CreateCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        await drop.ExecuteNonQueryAsync();
    }
}
