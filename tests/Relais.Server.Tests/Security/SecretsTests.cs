using System.Net;
using System.Text;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Security;

/// <summary>Secrets at rest and in flight: masked values encrypted in the database, tokens only hashed, protected variables only on protected refs.</summary>
public sealed class SecretsTests
{
    private const string OneJob = "job: { script: [run] }";

    [Fact]
    public async Task The_database_file_holds_no_masked_value_and_no_token_in_plain_text()
    {
        const string masked = "Sup3r-Secret_Value@42";
        await using var f = await SecurityFixture.StartAsync();
        var project = await f.ProjectAsync("demo", OneJob);
        var (created, _) = await f.RestAsync(HttpMethod.Post, $"projects/{project}/variables", TestServer.RootToken, $$"""{"key":"DEPLOY_KEY","value":"{{masked}}","masked":true}""");
        Assert.Equal(HttpStatusCode.Created, created);
        var (_, runner) = await f.Server.RegisterRunnerAsync();
        await f.RunPipelineAsync(project);
        var job = (await f.TakeJobAsync(runner))!;

        // The job and the API still see the value itself.
        var variable = Assert.Single(job.Variables, v => v.Key == "DEPLOY_KEY");
        Assert.Equal(masked, variable.Value);
        Assert.True(variable.Masked);
        var (_, shown) = await f.RestAsync(HttpMethod.Get, $"projects/{project}/variables/DEPLOY_KEY", TestServer.RootToken);
        Assert.Equal(masked, shown.GetProperty("value").GetString());

        // The database files (and the WAL, where SQLite keeps recent pages) do not.
        var bytes = DatabaseBytes(f.Server.DataDir);
        Assert.True(bytes.Length > 0);
        foreach (var secret in new[] { masked, TestServer.RootToken, f.AliceToken, runner, job.Token })
        {
            Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(secret)), $"found {secret[..6]}… in the database files");
        }

        var keyFile = Path.Combine(f.Server.DataDir, "secret-key");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
    }

    [Fact]
    public async Task Masked_values_sealed_with_RELAIS_SECRET_KEY_read_back_after_a_restart_with_the_same_key_and_another_key_is_refused()
    {
        const string masked = "An0ther-Secret-Value";
        var dataDir = Path.Combine(Path.GetTempPath(), "relais-server-tests", Guid.NewGuid().ToString("N"));
        long project;
        await using (var first = await SecurityFixture.StartAsync(o => o with { DataDir = dataDir, SecretKey = "a passphrase from the environment" }))
        {
            first.Server.KeepData = true;
            project = await first.ProjectAsync("demo", OneJob);
            await first.RestAsync(HttpMethod.Post, $"projects/{project}/variables", TestServer.RootToken, $$"""{"key":"K","value":"{{masked}}","masked":true}""");
        }

        Assert.False(File.Exists(Path.Combine(dataDir, "secret-key")));
        var wrong = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(Stores.Sqlite, dataDir: dataDir, configure: o => o with { SecretKey = "another passphrase" }));
        Assert.Contains("RELAIS_SECRET_KEY", wrong.Message, StringComparison.Ordinal);
        await using var second = await TestServer.StartAsync(Stores.Sqlite, dataDir: dataDir, configure: o => o with { SecretKey = "a passphrase from the environment" });
        var (status, shown) = await SecurityFixture.SendAsync(second.Http, HttpMethod.Get, $"api/v4/projects/{project}/variables/K", TestServer.RootToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(masked, shown.GetProperty("value").GetString());
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Masked_values_are_sealed_in_the_database_and_protected_variables_reach_protected_refs_only(string store)
    {
        await using var f = await SecurityFixture.StartAsync(store: store);
        var project = await f.ProjectAsync("demo", OneJob);
        await f.RestAsync(HttpMethod.Post, $"projects/{project}/variables", TestServer.RootToken, """{"key":"PROD_PASSWORD","value":"only-for-main-1","protected":true}""");
        await f.RestAsync(HttpMethod.Post, $"projects/{project}/variables", TestServer.RootToken, """{"key":"EVERYWHERE","value":"open-value"}""");
        await f.RestAsync(HttpMethod.Post, $"projects/{project}/variables", TestServer.RootToken, """{"key":"HIDDEN","value":"Masked-Everywhere-77","masked":true}""");
        var (_, runner) = await f.Server.RegisterRunnerAsync();

        var feature = await f.RunPipelineAsync(project, "feature");
        var onFeature = (await f.TakeJobAsync(runner))!;
        Assert.DoesNotContain(onFeature.Variables, v => v.Key == "PROD_PASSWORD");
        Assert.Contains(onFeature.Variables, v => v.Key == "EVERYWHERE");
        Assert.Contains(onFeature.Variables, v => v.Key == "CI_COMMIT_REF_PROTECTED" && v.Value == "false");
        var stored = (await f.Server.Host.Stores.Pipelines.GetPipelineAsync(feature))!;
        Assert.DoesNotContain("only-for-main-1", stored.ContextJson, StringComparison.Ordinal);
        Assert.DoesNotContain("Masked-Everywhere-77", stored.ContextJson, StringComparison.Ordinal);
        Assert.Contains(onFeature.Variables, v => v.Key == "HIDDEN" && v.Value == "Masked-Everywhere-77" && v.Masked);
        Assert.Equal("Masked-Everywhere-77", (await f.Server.Host.Stores.Variables.GetVariableAsync(project, "HIDDEN"))!.Value);
        Assert.Empty(await RawRowsAsync(f, "Masked-Everywhere-77"));

        await f.RunPipelineAsync(project, "main");
        var onMain = (await f.TakeJobAsync(runner))!;
        Assert.Contains(onMain.Variables, v => v.Key == "PROD_PASSWORD" && v.Value == "only-for-main-1");
    }

    /// <summary>Rows of the variables and pipelines tables whose stored text contains <paramref name="needle"/>, read with plain SQL.</summary>
    private static async Task<List<string>> RawRowsAsync(SecurityFixture f, string needle)
    {
        var found = new List<string>();
        const string sql = "SELECT key, value FROM project_variables UNION ALL SELECT ref, CAST(context_json AS TEXT) FROM pipelines";
        if (f.Server.Database is { } postgres)
        {
            await using var source = Npgsql.NpgsqlDataSource.Create(postgres);
            await using var command = source.CreateCommand(sql);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                found.AddRange(new[] { reader.GetString(0) + "=" + reader.GetString(1) }.Where(r => r.Contains(needle, StringComparison.Ordinal)));
            }

            return found;
        }

        await using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + Path.Combine(f.Server.DataDir, "relais.db"));
        await sqlite.OpenAsync();
        await using var query = sqlite.CreateCommand();
        query.CommandText = sql;
        await using var rows = await query.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            found.AddRange(new[] { rows.GetString(0) + "=" + rows.GetString(1) }.Where(r => r.Contains(needle, StringComparison.Ordinal)));
        }

        return found;
    }

    private static byte[] DatabaseBytes(string dataDir)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var all = new MemoryStream();
        foreach (var file in Directory.GetFiles(dataDir, "relais.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.CopyTo(all);
        }

        return all.ToArray();
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
