using System.Diagnostics;
using System.Globalization;
using Relais.GitOps.Registry;
using Relais.TestSupport;

namespace Relais.GitOps.Tests.Registry;

/// <summary>The scanner against a real Debian <c>docker-registry</c> (anonymous and with token auth) and a local server answering 429.</summary>
public sealed class RegistryScannerTests
{
    private static readonly DateTimeOffset Built = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [RegistryFact]
    public async Task Lists_every_tag_and_answers_the_changes_since_the_last_scan()
    {
        await using var registry = await RegistryProcess.StartAsync();
        await TestImages.PushAsync(registry.Address, "group/app", Built, ["1.0.0", "1.0.1", "1.1.0-rc.1", "tmp", "latest"]);
        using var scanner = new RegistryScanner(new RegistryScanOptions { Insecure = true, PageSize = 2 }, TimeProvider.System);
        var image = ImageReference.Parse($"{registry.Address}/group/app");

        var first = await scanner.ScanAsync(image);
        Assert.Equal(["1.0.0", "1.0.1", "1.1.0-rc.1", "latest", "tmp"], first.Tags.Order(StringComparer.Ordinal));
        Assert.Equal(5, first.Added.Count);

        await TestImages.PushAsync(registry.Address, "group/app", Built.AddHours(1), ["1.1.0"]);
        var second = await scanner.ScanAsync(image);
        Assert.Equal(["1.1.0"], second.Added);
        Assert.Empty(second.Removed);
        Assert.False((await scanner.ScanAsync(image)).Any);
        Assert.Equal(Built.AddHours(1), await scanner.CreatedAsync(image, "1.1.0"));
    }

    [RegistryFact]
    public async Task An_unknown_repository_is_a_clear_error()
    {
        await using var registry = await RegistryProcess.StartAsync();
        using var scanner = new RegistryScanner(new RegistryScanOptions { Insecure = true }, TimeProvider.System);
        var error = await Assert.ThrowsAsync<RegistryAccessException>(() => scanner.ListTagsAsync(ImageReference.Parse($"{registry.Address}/group/missing")));
        Assert.StartsWith($"repository not found or access denied: {registry.Address}/group/missing", error.Message);
    }

    [RegistryFact]
    public async Task Exchanges_credentials_for_a_token_at_the_realm_caches_it_and_reports_a_wrong_password()
    {
        await using var realm = new TokenRealm("deploy", "s3cret");
        await using var registry = await RegistryProcess.StartAsync(realm.Auth);
        await TestImages.PushAsync(registry.Address, "group/app", Built, ["1.0.0", "1.0.1", "1.1.0"], realm.PushToken("group/app"));
        var image = ImageReference.Parse($"{registry.Address}/group/app");

        using (var scanner = new RegistryScanner(new RegistryScanOptions { Insecure = true, PageSize = 1, Credentials = new("deploy", "s3cret") }, TimeProvider.System))
        {
            Assert.Equal(["1.0.0", "1.0.1", "1.1.0"], (await scanner.ListTagsAsync(image)).Order(StringComparer.Ordinal));
            await scanner.ListTagsAsync(image);
            Assert.Equal(1, realm.Requests);
        }

        using var wrong = new RegistryScanner(new RegistryScanOptions { Insecure = true, Credentials = new("deploy", "wrong") }, TimeProvider.System);
        var error = await Assert.ThrowsAsync<RegistryAccessException>(() => wrong.ListTagsAsync(image));
        Assert.StartsWith($"repository not found or access denied: {registry.Address}/group/app", error.Message);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follows_Link_rel_next_pages_with_the_asked_page_size()
    {
        // Debian's docker-registry 2.8 answers every tag in one page whatever n says (tag paging came with distribution v3),
        // so the pages come from a local server answering as v3 and GitLab's registry do.
        string[] all = ["1.0.0", "1.0.1", "1.1.0", "2.0.0", "tmp"];
        var asked = new List<string>();
        await using var server = new LocalHttpServer(async context =>
        {
            asked.Add(context.Request.Url!.PathAndQuery);
            var n = int.Parse(context.Request.QueryString["n"]!, CultureInfo.InvariantCulture);
            var last = context.Request.QueryString["last"];
            var page = all.Where(tag => last is null || string.CompareOrdinal(tag, last) > 0).Take(n).ToArray();
            if (page.Length == n && page[^1] != all[^1])
            {
                context.Response.AddHeader("Link", $"</v2/group/app/tags/list?n={n}&last={page[^1]}>; rel=\"next\"");
            }

            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { name = "group/app", tags = page })));
        });
        using var scanner = new RegistryScanner(new RegistryScanOptions { Insecure = true, PageSize = 2 }, TimeProvider.System);
        Assert.Equal(all, await scanner.ListTagsAsync(ImageReference.Parse($"{server.Address}/group/app")));
        Assert.Equal(["/v2/group/app/tags/list?n=2", "/v2/group/app/tags/list?n=2&last=1.0.1", "/v2/group/app/tags/list?n=2&last=2.0.0"], asked);
    }

    [Fact]
    public async Task Backs_off_on_429_and_503_honouring_Retry_After_then_reads_the_answer()
    {
        var calls = 0;
        await using var server = new LocalHttpServer(async context =>
        {
            calls++;
            if (calls == 1)
            {
                context.Response.StatusCode = 429;
                context.Response.AddHeader("Retry-After", "1");
                return;
            }

            if (calls == 2)
            {
                context.Response.StatusCode = 503;
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync("{\"name\":\"app\",\"tags\":[\"1.0.0\"]}"u8.ToArray());
        });
        using var scanner = new RegistryScanner(new RegistryScanOptions { Insecure = true, InitialBackOff = TimeSpan.FromMilliseconds(50) }, TimeProvider.System);
        var clock = Stopwatch.StartNew();
        Assert.Equal(["1.0.0"], await scanner.ListTagsAsync(ImageReference.Parse($"{server.Address}/app")));
        Assert.Equal(3, calls);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.0, 5.0);
    }

    [Fact]
    public async Task Gives_up_after_the_attempts_with_the_status()
    {
        await using var server = new LocalHttpServer(context =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        });
        using var scanner = new RegistryScanner(new RegistryScanOptions { Insecure = true, MaxAttempts = 3, InitialBackOff = TimeSpan.FromMilliseconds(10) }, TimeProvider.System);
        var error = await Assert.ThrowsAsync<RegistryAccessException>(() => scanner.ListTagsAsync(ImageReference.Parse($"{server.Address}/app")));
        Assert.Contains("500", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The figure: 10,000 tags of one image, scanned with the default page size. Set RELAIS_BENCH_TAGS=1 to run it (pushing takes a while).</summary>
    [RegistryFact]
    public async Task Bench_scan_of_ten_thousand_tags()
    {
        if (Environment.GetEnvironmentVariable("RELAIS_BENCH_TAGS") != "1")
        {
            return;
        }

        await using var registry = await RegistryProcess.StartAsync();
        var tags = Enumerable.Range(0, 10_000).Select(i => string.Create(CultureInfo.InvariantCulture, $"1.{i / 100}.{i % 100}")).ToList();
        await Task.WhenAll(tags.Chunk(2_500).Select(chunk => TestImages.PushAsync(registry.Address, "bench/app", Built, chunk)));
        var image = ImageReference.Parse($"{registry.Address}/bench/app");
        foreach (var pageSize in new[] { 1000, 100 })
        {
            using var scanner = new RegistryScanner(new RegistryScanOptions { Insecure = true, PageSize = pageSize }, TimeProvider.System);
            await scanner.ScanAsync(image);
            var total = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            var changes = await scanner.ScanAsync(image);
            clock.Stop();
            var bytes = GC.GetTotalAllocatedBytes(precise: true) - total;
            Assert.Equal(10_000, changes.Tags.Count);
            Assert.False(changes.Any);
            await File.AppendAllTextAsync(Path.Combine(Path.GetTempPath(), "relais-scan-bench.txt"), $"n={pageSize}: {clock.ElapsedMilliseconds} ms, {bytes / 1024} KiB allocated\n");
        }
    }
}
