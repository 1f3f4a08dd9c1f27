using System.IO.Compression;
using System.Text;

namespace Relais.Server.Tests.Support;

/// <summary>Artifact archives built in memory for uploads: a zip of text files, a gzip of a text.</summary>
internal static class Archives
{
    /// <summary>A zip archive holding each entry's name with its content as UTF-8 text.</summary>
    public static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(content);
            }
        }

        return buffer.ToArray();
    }

    /// <summary><paramref name="content"/> as UTF-8, gzipped.</summary>
    public static byte[] Gzip(string content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(content));
        }

        return buffer.ToArray();
    }
}
