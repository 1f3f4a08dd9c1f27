using Relais.Server.Storage;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>The release and package stores on every database the tests have (migration 250).</summary>
public sealed class ReleaseAndPackageStoreTests
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Releases_are_one_per_tag_ordered_by_release_time_and_keep_their_links(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var now = DateTimeOffset.UtcNow;
        var project = await server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", now);
        var releases = server.Host.Stores.Releases;
        var link = new ReleaseLinkRecord { Name = "app", Url = "https://example.com/app", DirectAssetPath = "/app", LinkType = "package" };

        var old = await releases.AddAsync(new ReleaseRecord { ProjectId = project.Id, TagName = "v1", Name = "One", Sha = "abc", AuthorId = 1 }, [link], now.AddDays(-1), now);
        var newer = await releases.AddAsync(new ReleaseRecord { ProjectId = project.Id, TagName = "v2", Name = "Two" }, [], now, now);
        Assert.Null(await releases.AddAsync(new ReleaseRecord { ProjectId = project.Id, TagName = "v1", Name = "Again" }, [], now, now));

        Assert.Equal(["v2", "v1"], (await releases.ListAsync(project.Id, false, false, 0, 10)).Page.Select(r => r.TagName));
        Assert.Equal(["v1", "v2"], (await releases.ListAsync(project.Id, false, true, 0, 10)).Page.Select(r => r.TagName));
        Assert.Equal(2, (await releases.ListAsync(project.Id, true, false, 1, 1)).Total);
        var stored = Assert.Single(await releases.ListLinksAsync([old!.Id, newer!.Id]));
        Assert.Equal(("app", "/app", "package"), (stored.Name, stored.DirectAssetPath, stored.LinkType));

        Assert.True(await releases.UpdateAsync(old.Id, "Renamed", "notes", null));
        Assert.Equal(("Renamed", "notes", "abc"), ((await releases.FindAsync(project.Id, "v1"))!.Name, (await releases.FindAsync(project.Id, "v1"))!.Description, old.Sha));
        var added = await releases.AddLinkAsync(new ReleaseLinkRecord { ReleaseId = newer.Id, Name = "b", Url = "https://example.com/b", LinkType = "other" }, now);
        Assert.True(await releases.UpdateLinkAsync(added with { Name = "c" }));
        Assert.False(await releases.DeleteLinkAsync(old.Id, added.Id));
        Assert.True(await releases.DeleteLinkAsync(newer.Id, added.Id));
        Assert.True(await releases.DeleteAsync(old.Id));
        Assert.False(await releases.DeleteAsync(old.Id));
        Assert.Empty(await releases.ListLinksAsync([old.Id]));
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_package_is_made_by_its_first_file_hidden_by_status_and_deleted_with_its_files(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var now = DateTimeOffset.UtcNow;
        var project = await server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", now);
        var packages = server.Host.Stores.Packages;
        var app = new PackageRecord { ProjectId = project.Id, Name = "app", Version = "1.0" };

        var (first, file) = await packages.AddFileAsync(app, new PackageFileRecord { FileName = "a", Size = 3, FileSha256 = "s", BlobPath = "p/1" }, false, now);
        var (same, _) = await packages.AddFileAsync(app with { Status = "hidden" }, new PackageFileRecord { FileName = "a", Size = 4, FileSha256 = "t", BlobPath = "p/2" }, true, now);
        await packages.AddFileAsync(app with { Version = "2.0" }, new PackageFileRecord { FileName = "b", Size = 1, FileSha256 = "u", BlobPath = "p/3" }, false, now);

        Assert.Equal(first.Id, same.Id);
        Assert.Equal("hidden", same.Status);
        Assert.Equal(first.Id, file.PackageId);
        Assert.Equal(["p/1", "p/2"], (await packages.ListFilesAsync(first.Id)).Select(f => f.BlobPath));
        Assert.Equal(["2.0"], (await packages.ListAsync(project.Id, "generic", null, null, 0, 10)).Page.Select(p => p.Version));
        Assert.Equal(["1.0"], (await packages.ListAsync(project.Id, null, "ap", "hidden", 0, 10)).Page.Select(p => p.Version));
        Assert.Equal(first.Id, (await packages.FindAsync(project.Id, "generic", "app", "1.0"))!.Id);
        Assert.Null(await packages.GetAsync(project.Id + 1, first.Id));

        Assert.Equal(["p/1", "p/2"], (await packages.DeleteAsync(first.Id)).Select(f => f.BlobPath));
        Assert.Empty(await packages.DeleteAsync(first.Id));
        Assert.Empty(await packages.ListFilesAsync(first.Id));
    }
}
