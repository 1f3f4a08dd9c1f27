using System.Net;
using Microsoft.Data.Sqlite;
using Relais.Protocol.Jobs;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Hostile;

/// <summary>
/// What the artifact and trace attacks share: a one-job pipeline taken by a runner, uploads with any query, the files
/// an artifact left under the data directory, and the rows of the SQLite database read directly (not through the store).
/// </summary>
internal static class ArtifactAttacks
{
    public const string OneJob = "job:\n  script: [make]\n";

    /// <summary>A fresh SQLite server with a runner that took the job of a one-job pipeline.</summary>
    public static async Task<(TestServer Server, JobResponse Job)> RunningJobAsync(Func<ServerOptions, ServerOptions>? configure = null)
    {
        var server = await TestServer.StartAsync(Stores.Sqlite, longPoll: TimeSpan.FromMilliseconds(200), configure: configure);
        try
        {
            var (_, runner) = await server.RegisterRunnerAsync();
            await server.CreatePipelineAsync(OneJob);
            return (server, (await server.RequestJobAsync(runner))!);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>POST /jobs/:id/artifacts</c> with <paramref name="query"/> (<c>artifact_type=…&amp;…</c>) and one file.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(HttpClient http, JobResponse job, string query, byte[] bytes, string name)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", name } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v4/jobs/{job.Id}/artifacts?{query}") { Content = form };
        request.Headers.Add("JOB-TOKEN", job.Token);
        return await http.SendAsync(request);
    }

    /// <summary>Every file under DATA/artifacts/JOB, relative to it, sorted.</summary>
    public static string[] FilesOf(TestServer server, long jobId)
    {
        var dir = Path.Combine(server.DataDir, "artifacts", jobId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Directory.Exists(dir)
            ? [.. Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>Every row of <paramref name="table"/> in the server's SQLite file, each column as text, read with a plain connection.</summary>
    public static async Task<List<Dictionary<string, string?>>> RowsAsync(TestServer server, string table)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDir, "relais.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {table}";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, string?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }

    public static async Task<string> BodyAsync(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";

    public static void AssertStatus(HttpStatusCode expected, HttpResponseMessage response, string body) =>
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {body}");
}
