using System.IO.Compression;
using System.Text;
using Relais.Runner.Files;
using Relais.Runner.Tests.Support;

namespace Relais.Runner.Tests.Security;

/// <summary>Hostile archives (artifacts and caches are extracted with <see cref="ZipArchiver"/>) cannot write outside the project.</summary>
public class ZipSlipTests
{
    [Fact]
    public void A_link_to_outside_followed_by_a_file_under_it_writes_nothing_outside()
    {
        using var outside = new TempDirectory();
        using var target = new TempDirectory();
        using var archive = new MemoryStream();
        using (var zip = new ZipArchive(archive, ZipArchiveMode.Create, leaveOpen: true))
        {
            var link = zip.CreateEntry("dir");
            link.ExternalAttributes = (0xA000 | 0x1FF) << 16;
            using (var s = link.Open())
            {
                s.Write(Encoding.UTF8.GetBytes(outside.Path));
            }

            using (var w = new StreamWriter(zip.CreateEntry("dir/planted.txt").Open()))
            {
                w.Write("owned");
            }

            using (var w = new StreamWriter(zip.CreateEntry("/abs/planted.txt").Open()))
            {
                w.Write("owned");
            }

            using (var w = new StreamWriter(zip.CreateEntry("a/../../planted.txt").Open()))
            {
                w.Write("owned");
            }

            using (var w = new StreamWriter(zip.CreateEntry("ok/fine.txt").Open()))
            {
                w.Write("fine");
            }
        }

        archive.Position = 0;
        ZipArchiver.Extract(archive, target.Path);

        Assert.False(File.Exists(Path.Combine(outside.Path, "planted.txt")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(target.Path)!, "planted.txt")));
        Assert.Empty(Directory.GetFiles(outside.Path));
        Assert.Equal("fine", File.ReadAllText(target.Combine("ok/fine.txt")));
    }
}
