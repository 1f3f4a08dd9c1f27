using Dapper;
using Relais.Protocol;
using Relais.Server.Storage;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests;

/// <summary>
/// Statuses at the SQL edge: the tables hold GitLab's names (<c>waiting_for_resource</c>), the records carry
/// <see cref="CiStatus"/>; every status reads back as itself and filters lists, on both stores.
/// </summary>
public sealed class StoredStatusTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Every_status_is_stored_as_its_gitlab_name_and_read_back_typed(string kind)
    {
        var connection = await Stores.CreateDatabaseAsync(kind);
        var dir = Directory.CreateTempSubdirectory("relais-status-").FullName;
        try
        {
            await using var db = Databases.Open(connection, dir);
            await db.MigrateAsync();
            var store = new SqlPipelineStore(db);
            var project = await new SqlProjectStore(db).EnsureProjectAsync("root/demo", "main", T0);
            foreach (var status in CiStatusNames.All)
            {
                var id = await store.InsertPipelineAsync(project.Id, "main", new string('a', 40), "{}", T0);
                await using (var c = await db.OpenAsync())
                {
                    await c.ExecuteAsync("UPDATE pipelines SET status = @name WHERE id = @id", new { name = status.ToGitLab(), id });
                }

                Assert.Equal(status, (await store.GetPipelineAsync(id))!.Status);
                var listed = await store.ListPipelinesAsync(project.Id, new ListQuery([status], 0, 100));
                Assert.Equal(id, Assert.Single(listed.Items).Id);
                Assert.Equal(status, listed.Items[0].Status);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
            await Stores.DropDatabaseAsync(connection);
        }
    }
}
