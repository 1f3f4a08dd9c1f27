using Dapper;
using Relais.Server.Storage;

namespace Relais.Server.Tests.Support;

/// <summary>
/// Writes a project's stored <c>.gitlab-ci.yml</c> (what <see cref="Api.StoredConfigSource"/> reads) straight into the
/// test server's database: the server itself has no way to set it.
/// </summary>
internal static class StoredConfigs
{
    public static async Task SaveAsync(TestServer server, long projectId, string yaml)
    {
        ArgumentNullException.ThrowIfNull(server);
        var options = server.Host.Options;
        await using var db = Databases.Open(options.Database, options.DataDir);
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync(
            """
            INSERT INTO project_ci_configs (project_id, content, updated_at) VALUES (@projectId, @yaml, @now)
            ON CONFLICT (project_id) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at
            """,
            new { projectId, yaml, now = DateTimeOffset.UnixEpoch });
    }
}
