using System.Data.Common;
using Relais.Server.Storage.State;

namespace Relais.Server.Storage;

/// <summary>
/// The steps of a migration that SQL cannot do, written in C#: each runs right after the SQL of the same version
/// (<see cref="SqliteMigrations"/>, <see cref="PostgresMigrations"/>), in its transaction, on both databases.
/// </summary>
internal static class CodeMigrations
{
    public static Task RunAsync(int version, DbConnection c, DbTransaction tx, SqlDialect sql, CancellationToken cancel) => version switch
    {
        StoredStateMigration.Version => StoredStateMigration.RunAsync(c, tx, sql, cancel),
        StoredPipelineColumns.Version => StoredPipelineColumns.BackfillAsync(c, tx, sql, cancel),
        _ => Task.CompletedTask,
    };
}
