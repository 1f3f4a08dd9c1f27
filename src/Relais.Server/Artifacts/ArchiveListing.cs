namespace Relais.Server.Artifacts;

/// <summary>One row of a folder listing: a sub-folder (its name ends with <c>/</c>) or a file with its size.</summary>
internal sealed record ArchiveItem(string Name, bool IsFolder, long Length);

/// <summary>One page of a folder of an archive: at most the page size of items, and the key to ask for the next page (null on the last).</summary>
internal sealed record ArchivePage(IReadOnlyList<ArchiveItem> Items, string? Next, long Entries);

/// <summary>
/// The artifact browser's view of a zip: one folder level at a time, folders first then files, by name (ordinal), a
/// page of at most <see cref="MaxPageSize"/> items after a key (<c>?after=</c>, keyset paging). One pass over the central
/// directory (<see cref="ZipCentralDirectory"/>) keeps only the page being built, so a page of an archive of 300,000
/// entries costs a read of its directory and a few kilobytes, never the whole listing.
/// </summary>
internal static class ArchiveListing
{
    public const int MaxPageSize = 100;

    /// <summary>The page of <paramref name="folder"/> (<c>""</c> for the top, else ending with <c>/</c>) after <paramref name="after"/>.</summary>
    public static ArchivePage Page(Stream zip, string folder, string? after, int pageSize = MaxPageSize)
    {
        ArgumentNullException.ThrowIfNull(folder);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        long entries = 0;
        foreach (var entry in ZipCentralDirectory.Entries(zip))
        {
            entries++;
            if (!entry.FullName.StartsWith(folder, StringComparison.Ordinal) || entry.FullName.Length == folder.Length)
            {
                continue;
            }

            var rest = entry.FullName[folder.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var key = slash >= 0 ? Key(rest[..(slash + 1)], folder: true) : Key(rest, folder: false);
            if ((after is not null && string.CompareOrdinal(key, after) <= 0) || keys.Contains(key))
            {
                continue;
            }

            if (keys.Count > pageSize && string.CompareOrdinal(key, keys.Max) >= 0)
            {
                continue; // past the page (one more than a page is kept, to know there is a next one)
            }

            keys.Add(key);
            if (slash < 0)
            {
                sizes[key] = entry.Length;
            }

            if (keys.Count > pageSize + 1)
            {
                sizes.Remove(keys.Max!);
                keys.Remove(keys.Max!);
            }
        }

        var page = keys.Take(pageSize).Select(k => new ArchiveItem(k[1..], k[0] == '0', sizes.GetValueOrDefault(k))).ToList();
        return new ArchivePage(page, keys.Count > pageSize ? Key(page[^1].Name, page[^1].IsFolder) : null, entries);
    }

    /// <summary>The sort key of an item: folders ("0") before files ("1"), then the name.</summary>
    public static string Key(string name, bool folder) => (folder ? "0" : "1") + name;
}
