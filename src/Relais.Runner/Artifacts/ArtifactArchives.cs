using System.IO.Compression;
using Relais.Protocol.Jobs;
using Relais.Runner.Files;

namespace Relais.Runner.Artifacts;

/// <summary>Writes an artifact in its format: a zip of the entries, one gzip member per file, or the one raw file.</summary>
public static class ArtifactArchives
{
    /// <summary>Writes the artifact to <paramref name="output"/>.</summary>
    /// <param name="format"><c>zip</c>, <c>gzip</c> or <c>raw</c>.</param>
    /// <param name="root">The project directory on this host.</param>
    /// <param name="entries">Every collected entry (directories included), for zip.</param>
    /// <param name="files">The regular files among them, for gzip and raw.</param>
    /// <param name="output">Where the archive goes.</param>
    public static void Write(string format, string root, IReadOnlyList<string> entries, IReadOnlyList<string> files, Stream output)
    {
        ArgumentNullException.ThrowIfNull(files);
        switch (format)
        {
            case ArtifactFormats.Gzip:
                foreach (var file in files)
                {
                    using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
                    using var source = File.OpenRead(Path.Combine(root, file));
                    source.CopyTo(gzip);
                }

                break;
            case ArtifactFormats.Raw:
                using (var source = File.OpenRead(Path.Combine(root, files[0])))
                {
                    source.CopyTo(output);
                }

                break;
            default:
                ZipArchiver.Create(root, entries, output);
                break;
        }
    }
}
